// `npm start` (the root package.json runs `node --conditions=tether-source --import tsx app/host/start.ts`):
// the Tether app — in its own Electron window where Electron can run, else in a browser (start-mode.ts
// decides; the first line says which and why). `npm start -- --help` for the options.
import { fileURLToPath } from 'node:url';
import { signalOnStop } from '@tether/extension-host/cli';
import { isTetherError } from '@tether/sdk';
import { electronBinary } from './electron-binary.js';
import { parentExitSignal } from './parent-exit.js';
import { startApp } from './start-app.js';
import { startElectron } from './start-electron.js';
import { chooseStartMode, forgeCli } from './start-mode.js';
import { StartUsageError, parseStartArgs, startUsage } from './start-options.js';

const NAME = 'tether app';
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseStartArgs(argv);
    if (options === 'help') {
      process.stdout.write(startUsage);
      return 0;
    }
    const mode = chooseStartMode({
      electronBinary: electronBinary(),
      forgeCli: forgeCli(repositoryRoot),
      browserRequest: options.browserRequest,
      platform: process.platform,
      env: process.env,
      node: process.execPath,
      dataFolder: options.dataGiven === true ? options.dataFolder : undefined,
    });
    say(mode.reason);
    const signal = AbortSignal.any([signalOnStop(NAME), parentExitSignal()]);
    if (mode.kind === 'electron') return await startElectron(mode, { cwd: repositoryRoot, signal, say });
    return await startApp(options, { stdout: process.stdout, stderr: process.stderr, signal });
  } catch (error) {
    if (error instanceof StartUsageError) {
      process.stderr.write(`${NAME}: ${error.message}\n\n${startUsage}`);
      return 2;
    }
    process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!isTetherError(error)) process.stderr.write(`${(error as Error | undefined)?.stack ?? ''}\n`);
    return 1;
  }
}

function say(line: string): void {
  process.stdout.write(`${new Date().toTimeString().slice(0, 8)} ${NAME}: ${line}\n`);
}

process.exitCode = await main(process.argv.slice(2));
