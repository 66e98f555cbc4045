// The host: starts the REPL plugin in a pseudo-terminal and passes this terminal through to it — what
// `tether run sample-extensions/05-tty` does — until the plugin exits; exits with the plugin's status.
//   npm start -w @tether-samples/05-tty
import { runInTerminal } from '@tether/extension-host/cli';
import { startTty } from './launch.js';

const client = await startTty({
  // Start at this window's size; the passthrough follows later resizes.
  runnerOptions:
    process.stdout.isTTY === true
      ? { terminalSize: { cols: process.stdout.columns, rows: process.stdout.rows } }
      : {},
});
try {
  const terminal = client.terminal;
  if (terminal === undefined)
    throw new Error('05-tty runs with "runner": "pty"; its manifest says otherwise.');
  process.exitCode = await runInTerminal(client, terminal, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} finally {
  await client.stop();
}
