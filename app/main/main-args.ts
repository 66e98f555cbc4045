// The Electron app's own command line: `--data <dir>` (or `--data=<dir>`), as `npm start -- --data <dir>`
// passes it through `electron-forge start -- --data <dir>`. Everything else on Electron's command line
// (its own switches, Chromium's, the app path) is not ours and is left alone.
import path from 'node:path';

export interface MainArgs {
  /** The data folder (resolved) instead of `app.getPath('userData')`. */
  readonly dataFolder?: string;
}

/** Reads `--data` from `argv` (the last one wins); an empty or missing value is ignored. */
export function parseMainArgs(argv: readonly string[], cwd: string = process.cwd()): MainArgs {
  let data: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--data') {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('--')) {
        data = next;
        index++;
      }
    } else if (argument.startsWith('--data=')) {
      data = argument.slice('--data='.length);
    }
  }
  return data === undefined || data === '' ? {} : { dataFolder: path.resolve(cwd, data) };
}
