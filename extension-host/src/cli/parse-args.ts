import { didYouMean } from '../manifest/did-you-mean.js';
import { isLogLevel, logLevels, type LogLevel } from '../logging/log-record.js';
import { UsageError } from './usage-error.js';

/** One method call requested with `tether run <dir> --call service.method [args…]`. */
export interface CallRequest {
  readonly service: string;
  readonly method: string;
  /** Each argument parsed as JSON when it parses (`1`, `true`, `{"a":1}`, `"quoted"`), else the string. */
  readonly args: readonly unknown[];
}

export type CliCommand =
  | { readonly kind: 'help'; readonly topic?: CommandName }
  /** No command at all (bare `tether`): the usage goes to stderr and the status is 2. */
  | { readonly kind: 'missing-command' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly extensionDir: string;
      readonly call?: CallRequest;
      readonly json: boolean;
    }
  | {
      readonly kind: 'logs';
      readonly extension: string;
      readonly follow: boolean;
      readonly level?: LogLevel;
      readonly logDir?: string;
    };

export interface ParsedArgs {
  readonly command: CliCommand;
  /** `--debug`: print stack traces with errors. */
  readonly debug: boolean;
}

export const commandNames = ['run', 'logs'] as const;
export type CommandName = (typeof commandNames)[number];

const globalFlags = ['--help', '-h', '--version', '-v', '--debug'];
const runFlags = ['--call', '--json'];
const logsFlags = ['--follow', '-f', '--level', '--log-dir'];

// Same rules as the SDK's service and method names.
const serviceNamePattern = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const methodNamePattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** True when `--debug` appears before any `--`; read even when the rest of the line is wrong. */
export function hasDebugFlag(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--debug');
}

/**
 * Parses the `tether` command line (without `node` and the script path).
 *
 * Flags start with `--` (plus `-h`, `-v`); `--flag=value` works for `--call`. After `--call service.method`
 * the following words are the call's arguments up to the next flag; `--` makes everything after it an
 * argument (for values that start with `--`).
 * @throws UsageError when the line cannot be understood.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let help = false;
  let version = false;
  let debug = false;
  let json = false;
  let call: { target: string; args: string[] } | undefined;
  let follow = false;
  let level: LogLevel | undefined;
  let logDir: string | undefined;
  let commandName: CommandName | undefined;
  const positionals: string[] = [];
  /** Where bare words go: positionals, or the arguments of `--call`. */
  let collectingCallArgs = false;

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      if (call === undefined)
        throw new UsageError(
          '"--" is only used after --call service.method, before its arguments',
          commandName,
        );
      call.args.push(...argv.slice(i + 1));
      break;
    }
    const isFlag = token.startsWith('--') || token === '-h' || token === '-v' || token === '-f';
    if (!isFlag) {
      if (collectingCallArgs) call!.args.push(token);
      else if (commandName === undefined && positionals.length === 0) commandName = toCommandName(token);
      else positionals.push(token);
      continue;
    }
    collectingCallArgs = false;
    const [flag = token, inlineValue] = splitInlineValue(token);
    const takesValue = flag === '--call' || flag === '--level' || flag === '--log-dir';
    if (inlineValue !== undefined && !takesValue) {
      throw new UsageError(`${flag} takes no value; got ${JSON.stringify(token)}`, commandName);
    }
    switch (flag) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--version':
      case '-v':
        version = true;
        break;
      case '--debug':
        debug = true;
        break;
      case '--json':
      case '--call':
        if (commandName !== 'run') {
          throw new UsageError(`${flag} belongs to "tether run"`, commandName);
        }
        if (flag === '--json') {
          json = true;
          break;
        }
        if (call !== undefined) throw new UsageError('--call can be given once', 'run');
        {
          const target = inlineValue ?? argv[++i];
          if (target === undefined || (inlineValue === undefined && target.startsWith('--'))) {
            throw new UsageError('--call needs a service.method, like --call kv.get', 'run');
          }
          call = { target, args: [] };
          collectingCallArgs = true;
        }
        break;
      case '--follow':
      case '-f':
      case '--level':
      case '--log-dir': {
        if (commandName !== 'logs') throw new UsageError(`${flag} belongs to "tether logs"`, commandName);
        if (flag === '--follow' || flag === '-f') {
          follow = true;
          break;
        }
        const value = inlineValue ?? argv[++i];
        if (value === undefined || (inlineValue === undefined && value.startsWith('-'))) {
          throw new UsageError(
            flag === '--level' ? `--level needs one of ${logLevels.join(', ')}` : '--log-dir needs a folder',
            'logs',
          );
        }
        if (flag === '--log-dir') {
          logDir = value;
          break;
        }
        const lower = value.toLowerCase();
        if (!isLogLevel(lower)) {
          throw new UsageError(
            `--level must be one of ${logLevels.join(', ')}; got ${JSON.stringify(value)}${didYouMean(lower, logLevels)}`,
            'logs',
          );
        }
        level = lower;
        break;
      }
      default: {
        const known =
          commandName === 'run'
            ? [...globalFlags, ...runFlags]
            : commandName === 'logs'
              ? [...globalFlags, ...logsFlags]
              : globalFlags;
        throw new UsageError(`unknown option ${JSON.stringify(flag)}${didYouMean(flag, known)}`, commandName);
      }
    }
  }

  if (help)
    return {
      command: commandName === undefined ? { kind: 'help' } : { kind: 'help', topic: commandName },
      debug,
    };
  if (version && commandName === undefined) return { command: { kind: 'version' }, debug };
  if (version) throw new UsageError('--version is used alone: tether --version', commandName);
  switch (commandName) {
    case undefined:
      return { command: { kind: 'missing-command' }, debug };
    case 'logs': {
      const [extension, ...extra] = positionals;
      if (extension === undefined) {
        throw new UsageError(
          'tether logs needs the extension name: tether logs <extension> [--follow] [--level <level>]',
          'logs',
        );
      }
      if (extra.length > 0) {
        throw new UsageError(
          `tether logs takes one extension name; unexpected ${JSON.stringify(extra[0])}`,
          'logs',
        );
      }
      return {
        command: {
          kind: 'logs',
          extension,
          follow,
          ...(level === undefined ? {} : { level }),
          ...(logDir === undefined ? {} : { logDir }),
        },
        debug,
      };
    }
    case 'run': {
      const [extensionDir, ...extra] = positionals;
      if (extensionDir === undefined) {
        throw new UsageError(
          'tether run needs the extension folder first: tether run <extension-dir> [--call service.method [args...]]',
          'run',
        );
      }
      if (extra.length > 0) {
        throw new UsageError(
          `tether run takes one extension folder; unexpected ${JSON.stringify(extra[0])} (call arguments go after --call service.method)`,
          'run',
        );
      }
      return {
        command: {
          kind: 'run',
          extensionDir,
          json,
          ...(call === undefined ? {} : { call: toCallRequest(call.target, call.args) }),
        },
        debug,
      };
    }
  }
}

function toCommandName(token: string): CommandName {
  if ((commandNames as readonly string[]).includes(token)) return token as CommandName;
  throw new UsageError(`unknown command ${JSON.stringify(token)}${didYouMean(token, commandNames)}`);
}

function splitInlineValue(token: string): [string, string | undefined] {
  const equals = token.indexOf('=');
  return equals === -1 ? [token, undefined] : [token.slice(0, equals), token.slice(equals + 1)];
}

function toCallRequest(target: string, args: readonly string[]): CallRequest {
  // Service names may contain dots (`acme.kv`); method names cannot, so the last dot splits them.
  const dot = target.lastIndexOf('.');
  const service = target.slice(0, Math.max(dot, 0));
  const method = target.slice(dot + 1);
  if (dot === -1 || !serviceNamePattern.test(service) || !methodNamePattern.test(method)) {
    throw new UsageError(
      `--call needs service.method, like --call kv.get; got ${JSON.stringify(target)}`,
      'run',
    );
  }
  return { service, method, args: args.map(parseCallArgument) };
}

/** A `--call` argument: its JSON value when it is valid JSON, else the text itself. */
export function parseCallArgument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
