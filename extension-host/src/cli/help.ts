import type { CommandName } from './parse-args.js';

/** `tether --help`. */
export const mainHelp = `tether: run and inspect Tether extensions

Usage:
  tether run <extension-dir> [--call <service.method> [args...]] [--json]
  tether logs                      (coming soon)
  tether --help | --version

Commands:
  run     Check an extension's manifest and host compatibility, then start it.
  logs    Show an extension's logs. Not available yet.

Options:
  -h, --help      Show help; "tether <command> --help" for a command.
  -v, --version   Print the tether version.
  --debug         Print stack traces with errors.

Exit status: 0 done, 1 failed, 2 bad command line.
`;

const runHelp = `Usage: tether run <extension-dir> [--call <service.method> [args...]] [--json]

Reads <extension-dir>/package.json, validates its "tether" manifest, checks that the
extension supports this host version, and starts the extension.

Options:
  --call <service.method> [args...]
                  Call one method and print its result. Each argument is parsed as
                  JSON when it parses (42, true, null, '{"a":1}', '"quoted"'), otherwise
                  it is passed as a string. Use "--" before arguments that start with "--".
  --json          Print results as JSON.
  --debug         Print stack traces with errors.

Example:
  tether run ./my-extension --call kv.set greeting '"hello"'
`;

const logsHelp = `Usage: tether logs

Shows an extension's logs. Not available yet: it arrives with the log store.
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
