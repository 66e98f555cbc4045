// `npm start` (the root package.json runs `node --conditions=tether-source --import tsx app/host/start.ts`):
// the Tether app in a browser. See start-app.ts; `npm start -- --help` for the options.
import { isTetherError } from '@tether/sdk';
import { startApp } from './start-app.js';
import { StartUsageError, parseStartArgs, startUsage } from './start-options.js';

async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseStartArgs(argv);
    if (options === 'help') {
      process.stdout.write(startUsage);
      return 0;
    }
    return await startApp(options, { stdout: process.stdout, stderr: process.stderr });
  } catch (error) {
    if (error instanceof StartUsageError) {
      process.stderr.write(`tether app: ${error.message}\n\n${startUsage}`);
      return 2;
    }
    process.stderr.write(`tether app: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!isTetherError(error)) process.stderr.write(`${(error as Error | undefined)?.stack ?? ''}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
