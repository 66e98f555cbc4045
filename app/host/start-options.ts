// `npm start`'s command line: `npm start -- [--browser] [--data <dir>] [--port <n>] [--no-open] [--ui-root <dir>]`.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { userDataFolder } from './user-data-folder.js';

export interface StartOptions {
  /** The data folder (resolved): extensions, their state, keys, the control socket. */
  readonly dataFolder: string;
  /** The UI's port on 127.0.0.1; 0 is any free port. */
  readonly port: number;
  /** Open the UI in a browser when there is a display and a program to open it. */
  readonly open: boolean;
  /** Serve this built UI instead of app/renderer/dist (which is then not built). */
  readonly uiRoot?: string;
  /**
   * The option that asks for the browser mode even where Electron could run: `--browser`, or the first of
   * `--port`, `--no-open`, `--ui-root`, which only the browser mode has. Absent: Electron where it can run.
   */
  readonly browserRequest?: string;
  /** True when `--data` was given: the Electron app is passed it (else it keeps Electron's userData). */
  readonly dataGiven?: boolean;
}

export const startUsage = `Usage: npm start -- [--browser] [--data <dir>] [--port <n>] [--no-open] [--ui-root <dir>]

Runs the Tether app: an extension manager over your data folder, and its UI — in the
app's own window where Electron can run (its binary downloaded, Electron Forge
installed, a display), else in your browser; the first line says which and why. The
first run on a data folder installs the sample extensions (signed by a key made for
that folder). "tether list", "tether logs" and the other host commands talk to it
(with the same --data).

Options:
  --browser        Run the app in your browser even where Electron can run.
  --data <dir>     The data folder (default: ${userDataFolder()} in the browser;
                   Electron's userData folder in the Electron app).
  --port <n>       The UI's port on 127.0.0.1 (default: any free port). Browser only.
  --no-open        Do not open a browser; only print the URL. Browser only.
  --ui-root <dir>  Serve this built UI instead of app/renderer/dist. Browser only.
  -h, --help       Show this help.
`;

/** A command line that cannot be understood: its message, then the usage, and status 2. */
export class StartUsageError extends Error {
  override readonly name = 'StartUsageError';
}

/** Parses the arguments after `npm start --`; `'help'` for -h/--help. */
export function parseStartArgs(argv: readonly string[]): StartOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        'ui-root': { type: 'string' },
        browser: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StartUsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || port > 65_535)) {
    throw new StartUsageError(
      `--port must be a port number, 0 to 65535 (0: any free port); got ${JSON.stringify(values.port)}`,
    );
  }
  const browserRequest =
    values.browser === true
      ? '--browser'
      : values.port !== undefined
        ? '--port'
        : values['no-open'] === true
          ? '--no-open'
          : values['ui-root'] !== undefined
            ? '--ui-root'
            : undefined;
  return {
    dataFolder: path.resolve(values.data ?? userDataFolder()),
    port,
    open: values['no-open'] !== true,
    ...(values['ui-root'] === undefined ? {} : { uiRoot: path.resolve(values['ui-root']) }),
    ...(browserRequest === undefined ? {} : { browserRequest }),
    ...(values.data === undefined ? {} : { dataGiven: true }),
  };
}
