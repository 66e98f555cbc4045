// The plugin's first check: it is an interactive program, and without a terminal it cannot do its job.

/** What the plugin says when started without a terminal (the node runner, or piped by hand), before exiting 2. */
export const NO_TTY_MESSAGE =
  '05-tty needs a real terminal (its stdin and stdout are not TTYs). Run it with "runner": "pty" in its ' +
  'manifest — `tether run sample-extensions/05-tty` or `npm start -w @tether-samples/05-tty` — not with the node runner.';

/** Exits 2 with {@link NO_TTY_MESSAGE} on stderr unless stdin and stdout are both terminals. */
export function requireTty(): void {
  if (process.stdin.isTTY === true && process.stdout.isTTY === true) return;
  process.stderr.write(`${NO_TTY_MESSAGE}\n`);
  process.exit(2);
}
