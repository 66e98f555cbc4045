// The command line, read with node:util parseArgs: `<dir> [--name <name>] | --help | --version`.
import { parseArgs } from 'node:util';
import { ScaffoldError } from './scaffold-error.js';

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'create'; readonly directory: string; readonly name?: string };

/** What the command line asks for; a {@link ScaffoldError} with code `USAGE` when it is wrong. */
export function parseCliArgs(args: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new ScaffoldError('USAGE', describeParseError(error), { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [directory, ...extra] = positionals;
  if (directory === undefined || directory === '') {
    throw new ScaffoldError('USAGE', 'Say which folder to create the project in.');
  }
  if (extra.length > 0) {
    throw new ScaffoldError(
      'USAGE',
      `One folder at a time: got ${positionals.length} (${positionals.map((each) => JSON.stringify(each)).join(', ')}). Quote a path with spaces.`,
    );
  }
  return values.name === undefined
    ? { kind: 'create', directory }
    : { kind: 'create', directory, name: values.name };
}

/** parseArgs's message, shorter for an unknown option (its own suggests a "--" that rarely helps here). */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return text;
  const option = /'([^']+)'/.exec(text)?.[1] ?? text;
  return `Unknown option ${option}: the options are --name <name>, --help and --version.`;
}
