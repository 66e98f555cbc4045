// The create-tether-extension command: parses the command line, writes the project, prints what next.
import path from 'node:path';
import { parseCliArgs } from './cli-args.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './constants.js';
import { help, usage } from './help.js';
import { ownVersion } from './own-version.js';
import { scaffold, type ScaffoldResult } from './scaffold.js';
import { ScaffoldError } from './scaffold-error.js';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Where a relative <dir> is resolved, and what "cd" in the next steps is relative to. */
  readonly cwd: string;
}

const PROGRAM = 'create-tether-extension';

/** Runs the command; resolves to the exit status (0 written, 1 failed while writing, 2 refused). */
export async function main(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCliArgs(args);
    if (command.kind === 'help') {
      io.stdout.write(help);
      return EXIT_OK;
    }
    const tetherVersion = await ownVersion();
    if (command.kind === 'version') {
      io.stdout.write(`${tetherVersion}\n`);
      return EXIT_OK;
    }
    const result = await scaffold({
      directory: path.resolve(io.cwd, command.directory),
      ...(command.name === undefined ? {} : { name: command.name }),
      tetherVersion,
    });
    io.stdout.write(nextSteps(result, io.cwd));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      io.stderr.write(`${PROGRAM}: ${error.message}\n`);
      if (error.code === 'USAGE') io.stderr.write(`${usage}\n("${PROGRAM} --help" says more.)\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(
      `${PROGRAM}: could not write the project: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_FAILED;
  }
}

/** What was written, and the commands to run next (`cd` relative to where the command ran). */
export function nextSteps(result: ScaffoldResult, cwd: string): string {
  const relative = path.relative(cwd, result.directory);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? result.directory : relative;
  const lines = [
    `Created ${result.name} in ${result.directory}:`,
    ...result.files.map((file) => `  ${file}`),
    '',
    'Next:',
    ...(shown === '.' ? [] : [`  cd ${shellQuote(shown)}`]),
    '  npm install',
    '  npm test     # compile, then run src/plugin.test.ts (node --test)',
    '  npm start    # compile, then run the host: it starts the plugin, calls it, stops it',
    '',
  ];
  return lines.join('\n');
}

/** A path as a POSIX shell word: as it is when it is plain, else in single quotes. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
