import { DEFAULT_STOP_GRACE_MS } from '../constants.js';
import type { CommandName } from './parse-args.js';

/** `tether --help`. */
export const mainHelp = `tether: run and inspect Tether extensions

Usage:
  tether run <extension-dir> [--call <service.method> [args...]] [--json]
  tether logs <extension> [--follow] [--level <level>] [--log-dir <dir>]
  tether --help | --version

Commands:
  run     Check an extension's manifest and host compatibility, then start it. An
          extension that runs in a terminal ("runner": "pty") gets this terminal
          until it exits: every key goes to it, Enter ~. stops it.
  logs    Print an extension's log file; --follow keeps printing new lines.

Options:
  -h, --help      Show help; "tether <command> --help" for a command.
  -v, --version   Print the tether version.
  --debug         Print stack traces with errors.

Exit status: 0 done; 1 failed, or the extension did not stop cleanly when tether run
stopped it (see "tether run --help"); 2 bad command line, or no command. "tether run"
of an extension that runs in a terminal exits with the extension's own status.
`;

const runHelp = `Usage: tether run <extension-dir> [--call <service.method> [args...]] [--json]

Reads <extension-dir>/package.json, validates its "tether" manifest, checks that the
extension supports this host version, and starts the extension.

An extension that runs in a terminal ("runner": "pty") gets this terminal: every key,
Ctrl-C included, goes to the extension; its output and colours come here; its window
size follows yours. tether run ends when the extension exits, with its exit status
(128 + n when signal n killed it). To stop it yourself, press Enter, then ~ and .
("Enter ~."; "~~" types one ~). Your terminal's settings are restored however it ends,
except when tether itself is killed with SIGKILL (kill -9), which no program can catch:
then type "stty sane" and Enter. The extension gets your TERM and COLORTERM. With --call
and stdout redirected, stdout holds the result alone and the extension's screen goes to
stderr. With piped input the bytes pass through unchanged and the end of the input is
sent as Ctrl-D.

When tether run stops the extension (after --call; on Ctrl-C; a terminal extension on
Enter ~.) it asks it to stop, waits ${DEFAULT_STOP_GRACE_MS} ms, sends SIGTERM, waits ${DEFAULT_STOP_GRACE_MS} ms more,
then sends SIGKILL. If the extension then exits with a code other than 0 or has to be
killed, tether run says so on stderr and exits 1 (a terminal extension: with its own
status). A failed --call prints the error's code and message, and the extension's last
stderr lines when the error has them, and exits 1.

Options:
  --call <service.method> [args...]
                  Call one method and print its result. Each argument is parsed as
                  JSON when it parses (42, true, null, '{"a":1}', '"quoted"'), otherwise
                  it is passed as a string. Use "--" before arguments that start with "--".
  --json          Print results as JSON.
  --debug         Print stack traces with errors.

Examples:
  tether run ./my-extension --call kv.set greeting '"hello"'
  tether run sample-extensions/05-tty        (an interactive extension in your terminal)
`;

const logsHelp = `Usage: tether logs <extension> [--follow] [--level <level>] [--log-dir <dir>]

Prints the log file of an extension (its name in package.json): the records it logged,
its console output and its stdout/stderr lines, one per line:
  2024-05-01T10:00:00.000Z WARN  [db] slow query {"ms":812}
Coloured by level when the output is a terminal.

Options:
  -f, --follow        Keep printing new lines as they are written, until Ctrl-C.
  --level <level>     Only records at this level and above: trace, debug, info, warn, error.
  --log-dir <dir>     Where the log files are. Default: $TETHER_LOG_DIR, else
                      $XDG_STATE_HOME/tether/logs, else ~/.local/state/tether/logs
                      ("tether run" writes there).

Example:
  tether logs my-extension --follow --level warn
`;

export function helpFor(topic: CommandName | undefined): string {
  switch (topic) {
    case undefined:
      return mainHelp;
    case 'run':
      return runHelp;
    case 'logs':
      return logsHelp;
  }
}
