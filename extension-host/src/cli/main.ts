import { inspect } from 'node:util';
import { isTetherError } from '@tether/sdk';
import { HOST_VERSION } from '../manifest/host-version.js';
import { CallFailedError } from './call-failed-error.js';
import { devCommand } from './dev-command.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-code.js';
import { execCommand } from './exec-command.js';
import { helpFor } from './help.js';
import { hostCommand } from './host-command.js';
import { installCommand } from './install-command.js';
import { keygenCommand } from './keygen-command.js';
import { lifecycleCommand } from './lifecycle-command.js';
import { listCommand } from './list-command.js';
import { logsCommand } from './logs-command.js';
import { packCommand } from './pack-command.js';
import { hasDebugFlag, parseArgs } from './parse-args.js';
import { runCommand, runExtension, type Output, type RunExtension } from './run-command.js';
import { signCommand } from './sign-command.js';
import { encodeTagged } from './tagged-json.js';
import type { TerminalInput } from './terminal-streams.js';
import { trustCommand } from './trust-command.js';
import { uninstallCommand } from './uninstall-command.js';
import { UsageError } from './usage-error.js';

export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** The keyboard an extension that runs in a terminal gets (default process.stdin, read only then). */
  readonly stdin?: TerminalInput;
  /**
   * Ends `tether host`, `tether dev` and `tether logs --follow` (default: SIGINT/SIGTERM, and SIGHUP for the
   * hosts).
   */
  readonly signal?: AbortSignal;
}

/** What `main` calls out to; tests and the lead's wiring replace parts of it. */
export interface CliDependencies {
  readonly runExtension: RunExtension;
}

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-code.js';

/**
 * The `tether` command, in-process: parses `argv` (without `node` and the script), runs the command and
 * returns the exit status. Errors are printed as `tether: <message>` on `io.stderr` (stack only with
 * `--debug`), or with `--json` as one line of JSON there; never throws.
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  dependencies: Partial<CliDependencies> = {},
): Promise<number> {
  const debug = hasDebugFlag(argv);
  /** `--json` of a command that prints JSON: its errors are printed as JSON too. */
  let json = false;
  try {
    const { command } = parseArgs(argv);
    json = 'json' in command && command.json;
    switch (command.kind) {
      case 'help':
        io.stdout.write(helpFor(command.topic));
        return EXIT_OK;
      case 'missing-command':
        // Not a request for help: a script that runs bare `tether` by mistake must see it fail.
        io.stderr.write(helpFor(undefined));
        return EXIT_USAGE;
      case 'version':
        io.stdout.write(`${HOST_VERSION}\n`);
        return EXIT_OK;
      case 'logs': {
        const { kind: _kind, ...input } = command;
        return await logsCommand(input, io);
      }
      case 'run':
        return await runCommand({ ...command, debug }, io, dependencies.runExtension ?? runExtension);
      case 'host': {
        const { kind: _kind, ...input } = command;
        return await hostCommand(input, io);
      }
      case 'dev': {
        const { kind: _kind, ...input } = command;
        return await devCommand(input, io);
      }
      case 'list':
        return await listCommand(command, io);
      case 'lifecycle':
        return await lifecycleCommand(command, io);
      case 'exec':
        return await execCommand(command, io);
      case 'install': {
        const { kind: _kind, ...input } = command;
        return await installCommand(input, io);
      }
      case 'uninstall': {
        const { kind: _kind, ...input } = command;
        return await uninstallCommand(input, io);
      }
      case 'pack': {
        const { kind: _kind, ...input } = command;
        return await packCommand(input, io);
      }
      case 'keygen': {
        const { kind: _kind, ...input } = command;
        return await keygenCommand(input, io);
      }
      case 'sign':
        return await signCommand(command, io);
      case 'trust':
        return await trustCommand(command, io);
    }
  } catch (error) {
    return reportError(error, io.stderr, { debug, json });
  }
}

function reportError(
  error: unknown,
  stderr: Output,
  { debug, json }: { readonly debug: boolean; readonly json: boolean },
): number {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? 'tether --help' : `tether ${error.command} --help`;
    stderr.write(`tether: ${error.message}\nRun "${help}" for usage.\n`);
    return EXIT_USAGE;
  }
  if (json) {
    stderr.write(`${errorAsJson(error, debug)}\n`);
    return EXIT_FAILURE;
  }
  const message =
    error instanceof CallFailedError
      ? error.describe()
      : error instanceof Error
        ? error.message
        : String(error);
  stderr.write(`tether: ${message}\n`);
  if (debug) {
    stderr.write(`${describeStack(error)}\n`);
  } else if (!isTetherError(error instanceof CallFailedError ? error.cause : error)) {
    // Not one of ours: a bug or an environment problem; the stack is what a bug report needs.
    stderr.write('(unexpected error; run again with --debug for the stack trace)\n');
  }
  return EXIT_FAILURE;
}

/**
 * With `--json`, the error as one line of JSON on stderr (stdout keeps the results alone): `name`, `code`,
 * `message`, its own fields and `cause`, and for a call the `call` and the plugin's `stderrTail`; with
 * `--debug` also `stack` (as describeStack gives it).
 */
function errorAsJson(error: unknown, debug: boolean): string {
  const encoded = error instanceof CallFailedError ? error.toJson() : encodeTagged(error);
  const object =
    encoded !== null && typeof encoded === 'object' ? encoded : { name: 'Error', message: String(error) };
  return JSON.stringify(debug ? { ...object, stack: describeStack(error) } : object);
}

/** The stack of `error` and of each `cause` under it. */
function describeStack(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const text =
      current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : inspect(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}
