import { didYouMean } from '../manifest/did-you-mean.js';
import { isLogLevel, logLevels, type LogLevel } from '../logging/log-record.js';
import { parseCallArguments } from './call-argument.js';
import type { CallRequest, CliCommand, ParsedArgs, TrustCommand } from './cli-command.js';
import {
  commandNames,
  describeCommands,
  flagSpecs,
  isLifecycleAction,
  takesFlag,
  type CommandName,
} from './cli-flags.js';
import { scanCommandLine, type ScannedLine } from './scan-command-line.js';
import { UsageError } from './usage-error.js';

// Same rules as the SDK's service and method names.
const serviceNamePattern = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const methodNamePattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** True when `--debug` appears before any `--`; read even when the rest of the line is wrong. */
export function hasDebugFlag(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--debug');
}

/**
 * Parses the `tether` command line (without `node` and the script path); scan-command-line.ts splits it.
 *
 * Flags start with `--` (plus `-h`, `-v`, `-f`); `--flag=value` works for flags with a value. After `--call
 * service.method` the following words are the call's arguments up to the next flag, and after `--extensions
 * <dir>` more folders; `--` makes everything after it an argument (for values that start with `-`) of
 * `--call`, or of `tether exec`'s command.
 * @throws UsageError when the line cannot be understood.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const scanned = scanCommandLine(argv);
  const { command, flags } = scanned;
  const debug = flags.has('--debug');
  if (flags.has('--help') || command === 'help') return { command: helpCommand(scanned), debug };
  if (flags.has('--version') && command === undefined) return { command: { kind: 'version' }, debug };
  if (flags.has('--version')) throw new UsageError('--version is used alone: tether --version', command);
  for (const flag of flags.keys()) {
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

/** `--help` (with the command it follows or precedes), or `tether help [<command>]`. */
function helpCommand({ command, positionals }: ScannedLine): CliCommand {
  if (command !== 'help') return command === undefined ? { kind: 'help' } : { kind: 'help', topic: command };
  const [topic, extra] = positionals;
  if (topic === undefined) return { kind: 'help' };
  if (extra !== undefined) {
    throw new UsageError(`tether help takes one command; unexpected ${JSON.stringify(extra)}`);
  }
  if (!(commandNames as readonly string[]).includes(topic)) {
    throw new UsageError(`no command ${JSON.stringify(topic)}${didYouMean(topic, commandNames)}`);
  }
  return { kind: 'help', topic: topic as CommandName };
}

function buildCommand(name: Exclude<CommandName, 'help'>, scanned: ScannedLine): CliCommand {
  const { flags, positionals } = scanned;
  const value = (flag: string): string | undefined => flags.get(flag)?.[0];
  const optional = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } =>
    (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
  const json = flags.has('--json');
  const dataFolder = optional('dataFolder', value('--data'));
  const none = (advice = ''): void => {
    if (positionals.length > 0) {
      throw new UsageError(
        `tether ${name} takes no arguments; unexpected ${JSON.stringify(positionals[0])}${advice}`,
        name,
      );
    }
  };
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
      const call = target === undefined ? undefined : toCallRequest(target, scanned.callArgs);
      return { kind: 'run', extensionDir: positionals[0]!, json, ...optional('call', call) };
    }
    case 'logs': {
      const extension = one(
        'the extension name or folder',
        'tether logs <extension | extension-dir> [--follow] [--level <level>]',
      );
      const level = value('--level');
      return {
        kind: 'logs',
        extension,
        follow: flags.has('--follow'),
        ...optional('level', level === undefined ? undefined : toLogLevel(level)),
        ...optional('logDir', value('--log-dir')),
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
      return {
        kind: 'dev',
        extensionDir,
        open: !flags.has('--no-open'),
        ...optional('port', port === undefined ? undefined : toPort(port)),
        ...optional('uiRoot', value('--ui-root')),
      };
    }
    case 'list':
      none();
      return { kind: 'list', json, ...dataFolder };
    case 'exec': {
      const [commandId, ...args] = positionals;
      if (commandId === undefined) {
        throw new UsageError('tether exec needs the command id: tether exec <command-id> [args...]', 'exec');
      }
      const parsed = parseCallArguments(args, `tether exec ${commandId}`, 'exec');
      return { kind: 'exec', commandId, args: parsed, json, ...dataFolder };
    }
    case 'install': {
      const source = one(
        'the package',
        'tether install <file.tgz | extension-dir | https-URL> [--allow-unsigned] [--force] [--data <dir>]',
      );
      const allowUnsigned = flags.has('--allow-unsigned');
      return { kind: 'install', source, allowUnsigned, force: flags.has('--force'), ...dataFolder };
    }
    case 'uninstall': {
      const extension = one('the extension id', 'tether uninstall <extension> [--purge] [--data <dir>]');
      return { kind: 'uninstall', extension, purge: flags.has('--purge'), ...dataFolder };
    }
    case 'pack': {
      const extensionDir = one('the extension folder', 'tether pack <extension-dir> [--out <dir>]');
      return { kind: 'pack', extensionDir, ...optional('outDir', value('--out')) };
    }
    case 'keygen':
      none(' (use --out <dir> and --name <name>)');
      return { kind: 'keygen', ...optional('outDir', value('--out')), ...optional('name', value('--name')) };
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
function buildTrustCommand(scanned: ScannedLine, dataFolder: { readonly dataFolder?: string }): TrustCommand {
  const { flags, positionals } = scanned;
  const usage =
    'tether trust <public.pem> [--name <publisher>] | tether trust --list | tether trust --remove <key-id>';
  const unexpected: (what: string) => never = (what) => {
    throw new UsageError(`${what}: ${usage}`, 'trust');
  };
  const list = flags.has('--list');
  const removeId = flags.get('--remove')?.[0];
  const publisher = flags.get('--name')?.[0];
  if (list || removeId !== undefined) {
    if (list && removeId !== undefined) unexpected('tether trust takes --list or --remove, not both');
    if (positionals.length > 0) {
      unexpected(
        `tether trust ${list ? '--list' : '--remove'} takes no key file; unexpected ${JSON.stringify(positionals[0])}`,
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
  return { service, method, args: parseCallArguments(args, `--call ${target}`, 'run') };
}
