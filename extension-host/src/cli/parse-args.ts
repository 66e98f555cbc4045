import { didYouMean } from '../manifest/did-you-mean.js';
import { isLogLevel, logLevels, type LogLevel } from '../logging/log-record.js';
import {
  canonicalFlag,
  commandNames,
  describeCommands,
  flagSpecs,
  flagsOf,
  isLifecycleAction,
  takesFlag,
  type CommandName,
  type LifecycleAction,
} from './cli-flags.js';
import { UsageError } from './usage-error.js';

export { commandNames, type CommandName, type LifecycleAction } from './cli-flags.js';

/** One method call requested with `tether run <dir> --call service.method [args…]`. */
export interface CallRequest {
  readonly service: string;
  readonly method: string;
  /** Each argument parsed as JSON when it parses (`1`, `true`, `{"a":1}`, `"quoted"`), else the string. */
  readonly args: readonly unknown[];
}

/** `dataFolder`: the `--data` of the commands that find a running host by its data folder. */
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
      readonly dataFolder?: string;
    }
  | { readonly kind: 'host'; readonly extensionFolders: readonly string[]; readonly dataFolder?: string }
  | {
      readonly kind: 'dev';
      readonly extensionDir: string;
      readonly port?: number;
      readonly open: boolean;
      readonly uiRoot?: string;
    }
  | { readonly kind: 'list'; readonly json: boolean; readonly dataFolder?: string }
  | {
      readonly kind: 'lifecycle';
      readonly action: LifecycleAction;
      readonly extension: string;
      readonly dataFolder?: string;
    }
  | {
      readonly kind: 'exec';
      readonly commandId: string;
      /** Parsed like `--call` arguments. */
      readonly args: readonly unknown[];
      readonly json: boolean;
      readonly dataFolder?: string;
    }
  | {
      readonly kind: 'install';
      /** A .tgz file, an extension folder or an https:// URL. */
      readonly source: string;
      readonly allowUnsigned: boolean;
      readonly force: boolean;
      readonly dataFolder?: string;
    }
  | {
      readonly kind: 'uninstall';
      readonly extension: string;
      readonly purge: boolean;
      readonly dataFolder?: string;
    }
  | { readonly kind: 'pack'; readonly extensionDir: string; readonly outDir?: string }
  | { readonly kind: 'keygen'; readonly outDir?: string; readonly name?: string }
  | { readonly kind: 'sign'; readonly archive: string; readonly keyFile: string }
  | TrustCommand;

/** `tether trust <public.pem> [--name <publisher>]`, `tether trust --list`, `tether trust --remove <keyId>`. */
export type TrustCommand = { readonly kind: 'trust'; readonly dataFolder?: string } & (
  | { readonly action: 'add'; readonly keyFile: string; readonly publisher?: string }
  | { readonly action: 'list' }
  | { readonly action: 'remove'; readonly keyId: string }
);

export interface ParsedArgs {
  readonly command: CliCommand;
  /** `--debug`: print stack traces with errors. */
  readonly debug: boolean;
}

// Same rules as the SDK's service and method names.
const serviceNamePattern = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const methodNamePattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** True when `--debug` appears before any `--`; read even when the rest of the line is wrong. */
export function hasDebugFlag(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--debug');
}

/** What the scan of a command line found, before it is checked against the command. */
interface Scanned {
  command: CommandName | undefined;
  /** Canonical flag → its values (`''` for each use of a flag without a value), in the order given. */
  readonly flags: Map<string, string[]>;
  readonly positionals: string[];
  /** The call's arguments after `--call service.method`. */
  readonly callArgs: string[];
}

/**
 * Parses the `tether` command line (without `node` and the script path).
 *
 * Flags start with `--` (plus `-h`, `-v`, `-f`); `--flag=value` works for flags with a value. After `--call
 * service.method` the following words are the call's arguments up to the next flag, and after `--extensions
 * <dir>` more folders; `--` makes everything after it an argument (for values that start with `-`) of
 * `--call`, or of `tether exec`'s command.
 * @throws UsageError when the line cannot be understood.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const scanned = scan(argv);
  const { command } = scanned;
  const has = (flag: string): boolean => scanned.flags.has(flag);
  const debug = has('--debug');
  if (has('--help'))
    return { command: command === undefined ? { kind: 'help' } : { kind: 'help', topic: command }, debug };
  if (has('--version') && command === undefined) return { command: { kind: 'version' }, debug };
  if (has('--version')) throw new UsageError('--version is used alone: tether --version', command);
  for (const flag of scanned.flags.keys()) {
    const spec = flagSpecs[flag]!;
    if (command === undefined ? spec.commands !== 'all' : !takesFlag(command, flag)) {
      throw new UsageError(
        `${flag} belongs to ${describeCommands(spec.commands as readonly CommandName[])}`,
        command,
      );
    }
  }
  if (command === undefined) return { command: { kind: 'missing-command' }, debug };
  return { command: buildCommand(command, scanned), debug };
}

/** Splits the line into the command, flags with their values, and bare words. */
function scan(argv: readonly string[]): Scanned {
  const scanned: Scanned = { command: undefined, flags: new Map(), positionals: [], callArgs: [] };
  /** The flag whose extra values the bare words are (`--call`, `--extensions`), if any. */
  let collecting: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      const rest = argv.slice(i + 1);
      if (scanned.flags.has('--call')) scanned.callArgs.push(...rest);
      else if (collecting === '--extensions') scanned.flags.get('--extensions')!.push(...rest);
      else if (scanned.command === 'exec') scanned.positionals.push(...rest);
      else
        throw new UsageError(
          '"--" is only used after --call service.method (tether run) or after the command of tether exec, before arguments that start with "-"',
          scanned.command,
        );
      break;
    }
    // `-1` and `-x` are words (call arguments); only the short flags that exist are flags.
    const isFlag = token.startsWith('--') || canonicalFlag(token) !== undefined;
    if (!isFlag) {
      if (collecting === '--call') scanned.callArgs.push(token);
      else if (collecting !== undefined) scanned.flags.get(collecting)!.push(token);
      else if (scanned.command === undefined && scanned.positionals.length === 0)
        scanned.command = toCommandName(token);
      else scanned.positionals.push(token);
      continue;
    }
    collecting = undefined;
    const [written = token, inlineValue] = splitInlineValue(token);
    const flag = canonicalFlag(written);
    if (flag === undefined) {
      throw new UsageError(
        `unknown option ${JSON.stringify(written)}${didYouMean(written, flagsOf(scanned.command))}`,
        scanned.command,
      );
    }
    const spec = flagSpecs[flag]!;
    const values = scanned.flags.get(flag) ?? [];
    if (values.length > 0 && spec.value !== undefined && spec.repeatable !== true) {
      throw new UsageError(`${flag} can be given once`, scanned.command);
    }
    scanned.flags.set(flag, values);
    if (spec.value === undefined) {
      if (inlineValue !== undefined)
        throw new UsageError(`${flag} takes no value; got ${JSON.stringify(token)}`, scanned.command);
      values.push('');
      continue;
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined || value === '' || (inlineValue === undefined && value.startsWith('-'))) {
      throw new UsageError(`${flag} needs ${spec.value}`, scanned.command);
    }
    values.push(value);
    if (spec.collects === true) collecting = flag;
  }
  return scanned;
}

function buildCommand(name: CommandName, scanned: Scanned): CliCommand {
  const { flags, positionals } = scanned;
  const value = (flag: string): string | undefined => flags.get(flag)?.[0];
  const json = flags.has('--json');
  const data = value('--data');
  const dataFolder = data === undefined ? {} : { dataFolder: data };
  const one = (what: string, usage: string): string => {
    const [first, ...extra] = positionals;
    if (first === undefined) throw new UsageError(`tether ${name} needs ${what}: ${usage}`, name);
    if (extra.length > 0) {
      throw new UsageError(
        `tether ${name} takes one ${what.replace(/^the /, '')}; unexpected ${JSON.stringify(extra[0])}`,
        name,
      );
    }
    return first;
  };
  switch (name) {
    case 'run': {
      if (positionals.length === 0) {
        throw new UsageError(
          'tether run needs the extension folder first: tether run <extension-dir> [--call service.method [args...]]',
          'run',
        );
      }
      if (positionals.length > 1) {
        throw new UsageError(
          `tether run takes one extension folder; unexpected ${JSON.stringify(positionals[1])} (call arguments go after --call service.method)`,
          'run',
        );
      }
      const target = value('--call');
      return {
        kind: 'run',
        extensionDir: positionals[0]!,
        json,
        ...(target === undefined ? {} : { call: toCallRequest(target, scanned.callArgs) }),
      };
    }
    case 'logs': {
      const extension = one('the extension name', 'tether logs <extension> [--follow] [--level <level>]');
      const level = value('--level');
      const logDir = value('--log-dir');
      return {
        kind: 'logs',
        extension,
        follow: flags.has('--follow'),
        ...(level === undefined ? {} : { level: toLogLevel(level) }),
        ...(logDir === undefined ? {} : { logDir }),
        ...dataFolder,
      };
    }
    case 'host': {
      const extensionFolders = flags.get('--extensions') ?? [];
      if (positionals.length > 0 || extensionFolders.length === 0) {
        throw new UsageError(
          `tether host takes its extension folders after --extensions: tether host --extensions <dir> [<dir>...] [--data <dir>]${positionals.length > 0 ? `; unexpected ${JSON.stringify(positionals[0])}` : ''}`,
          'host',
        );
      }
      return { kind: 'host', extensionFolders, ...dataFolder };
    }
    case 'dev': {
      const extensionDir = one('the extension folder', 'tether dev <extension-dir> [--port <n>] [--no-open]');
      const port = value('--port');
      const uiRoot = value('--ui-root');
      return {
        kind: 'dev',
        extensionDir,
        open: !flags.has('--no-open'),
        ...(port === undefined ? {} : { port: toPort(port) }),
        ...(uiRoot === undefined ? {} : { uiRoot }),
      };
    }
    case 'list':
      if (positionals.length > 0) {
        throw new UsageError(
          `tether list takes no arguments; unexpected ${JSON.stringify(positionals[0])}`,
          'list',
        );
      }
      return { kind: 'list', json, ...dataFolder };
    case 'exec': {
      const [commandId, ...args] = positionals;
      if (commandId === undefined) {
        throw new UsageError('tether exec needs the command id: tether exec <command-id> [args...]', 'exec');
      }
      return { kind: 'exec', commandId, args: args.map(parseCallArgument), json, ...dataFolder };
    }
    case 'install': {
      const source = one(
        'the package',
        'tether install <file.tgz | extension-dir | https-URL> [--allow-unsigned] [--force] [--data <dir>]',
      );
      return {
        kind: 'install',
        source,
        allowUnsigned: flags.has('--allow-unsigned'),
        force: flags.has('--force'),
        ...dataFolder,
      };
    }
    case 'uninstall': {
      const extension = one('the extension id', 'tether uninstall <extension> [--purge] [--data <dir>]');
      return { kind: 'uninstall', extension, purge: flags.has('--purge'), ...dataFolder };
    }
    case 'pack': {
      const extensionDir = one('the extension folder', 'tether pack <extension-dir> [--out <dir>]');
      const outDir = value('--out');
      return { kind: 'pack', extensionDir, ...(outDir === undefined ? {} : { outDir }) };
    }
    case 'keygen': {
      if (positionals.length > 0) {
        throw new UsageError(
          `tether keygen takes no arguments; unexpected ${JSON.stringify(positionals[0])} (use --out <dir> and --name <name>)`,
          'keygen',
        );
      }
      const outDir = value('--out');
      const keyName = value('--name');
      return {
        kind: 'keygen',
        ...(outDir === undefined ? {} : { outDir }),
        ...(keyName === undefined ? {} : { name: keyName }),
      };
    }
    case 'sign': {
      const archive = one('the package file', 'tether sign <package.tgz> --key <private.pem>');
      const keyFile = value('--key');
      if (keyFile === undefined) {
        throw new UsageError(
          'tether sign needs the private key: tether sign <package.tgz> --key <private.pem>',
          'sign',
        );
      }
      return { kind: 'sign', archive, keyFile };
    }
    case 'trust':
      return buildTrustCommand(scanned, dataFolder);
    default: {
      if (!isLifecycleAction(name)) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
      const extension = one('the extension id', `tether ${name} <extension> [--data <dir>]`);
      return { kind: 'lifecycle', action: name, extension, ...dataFolder };
    }
  }
}

/** `tether trust`: add (a key file), `--list` or `--remove <keyId>`, one of them. */
function buildTrustCommand(scanned: Scanned, dataFolder: { readonly dataFolder?: string }): TrustCommand {
  const { flags, positionals } = scanned;
  const usage =
    'tether trust <public.pem> [--name <publisher>] | tether trust --list | tether trust --remove <key-id>';
  const unexpected: (what: string) => never = (what) => {
    throw new UsageError(`${what}: ${usage}`, 'trust');
  };
  const removeId = flags.get('--remove')?.[0];
  const publisher = flags.get('--name')?.[0];
  if (flags.has('--list') || removeId !== undefined) {
    if (flags.has('--list') && removeId !== undefined)
      unexpected('tether trust takes --list or --remove, not both');
    if (positionals.length > 0) {
      unexpected(
        `tether trust ${flags.has('--list') ? '--list' : '--remove'} takes no key file; unexpected ${JSON.stringify(positionals[0])}`,
      );
    }
    if (publisher !== undefined) unexpected('--name goes with a key file to trust');
    return removeId === undefined
      ? { kind: 'trust', action: 'list', ...dataFolder }
      : { kind: 'trust', action: 'remove', keyId: removeId, ...dataFolder };
  }
  const [keyFile, ...extra] = positionals;
  if (keyFile === undefined) unexpected('tether trust needs a public key file, --list or --remove');
  if (extra.length > 0) unexpected(`tether trust takes one key file; unexpected ${JSON.stringify(extra[0])}`);
  return {
    kind: 'trust',
    action: 'add',
    keyFile,
    ...(publisher === undefined ? {} : { publisher }),
    ...dataFolder,
  };
}

function toCommandName(token: string): CommandName {
  if ((commandNames as readonly string[]).includes(token)) return token as CommandName;
  throw new UsageError(`unknown command ${JSON.stringify(token)}${didYouMean(token, commandNames)}`);
}

function toLogLevel(value: string): LogLevel {
  const lower = value.toLowerCase();
  if (!isLogLevel(lower)) {
    throw new UsageError(
      `--level must be one of ${logLevels.join(', ')}; got ${JSON.stringify(value)}${didYouMean(lower, logLevels)}`,
      'logs',
    );
  }
  return lower;
}

function toPort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new UsageError(
      `--port must be a port number, 0 to 65535 (0: any free port); got ${JSON.stringify(value)}`,
      'dev',
    );
  }
  return port;
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

/** A `--call` or `tether exec` argument: its JSON value when it is valid JSON, else the text itself. */
export function parseCallArgument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
