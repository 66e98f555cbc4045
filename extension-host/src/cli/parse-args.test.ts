import { describe, expect, it } from 'vitest';
import { hasDebugFlag, parseArgs } from './parse-args.js';
import { UsageError } from './usage-error.js';

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
}

describe('parseArgs', () => {
  it('help and version', () => {
    expect(parseArgs([]).command).toEqual({ kind: 'missing-command' });
    expect(parseArgs(['--debug']).command).toEqual({ kind: 'missing-command' });
    expect(parseArgs(['--help']).command).toEqual({ kind: 'help' });
    expect(parseArgs(['-h']).command).toEqual({ kind: 'help' });
    expect(parseArgs(['run', '--help']).command).toEqual({ kind: 'help', topic: 'run' });
    expect(parseArgs(['--help', 'run']).command).toEqual({ kind: 'help', topic: 'run' });
    expect(parseArgs(['run', 'dir', '--call', 'kv.get', '-h']).command).toEqual({
      kind: 'help',
      topic: 'run',
    });
    expect(parseArgs(['--version']).command).toEqual({ kind: 'version' });
    expect(parseArgs(['-v']).command).toEqual({ kind: 'version' });
    expect(parseArgs(['logs', 'kv']).command).toEqual({ kind: 'logs', extension: 'kv', follow: false });
    expect(parseArgs(['logs', 'kv', '-f', '--level', 'WARN', '--log-dir=/tmp/l']).command).toEqual({
      kind: 'logs',
      extension: 'kv',
      follow: true,
      level: 'warn',
      logDir: '/tmp/l',
    });
    expect(() => parseArgs(['logs', 'kv', '--level', 'wanr'])).toThrow(
      /--level must be one of[^]*did you mean "warn"/,
    );
    expect(() => parseArgs(['logs', 'kv', '--level'])).toThrow(/--level needs one of/);
    expect(() => parseArgs(['run', '.', '--follow'])).toThrow(/--follow belongs to "tether logs"/);
  });

  it('run <dir>', () => {
    expect(parseArgs(['run', './ext'])).toEqual({
      command: { kind: 'run', extensionDir: './ext', json: false },
      debug: false,
    });
    expect(parseArgs(['--debug', 'run', './ext', '--json'])).toEqual({
      command: { kind: 'run', extensionDir: './ext', json: true },
      debug: true,
    });
  });

  it('run --call service.method with JSON-or-string arguments', () => {
    const { command } = parseArgs([
      'run',
      'ext',
      '--call',
      'kv.set',
      'greeting',
      '"hi"',
      '42',
      '{"a":[1]}',
      'true',
      '--json',
    ]);
    expect(command).toEqual({
      kind: 'run',
      extensionDir: 'ext',
      json: true,
      call: { service: 'kv', method: 'set', args: ['greeting', 'hi', 42, { a: [1] }, true] },
    });
  });

  it('--call=target, dotted service names, flags before the folder, negative numbers', () => {
    expect(parseArgs(['run', '--json', 'ext', '--call=acme.kv.get']).command).toMatchObject({
      extensionDir: 'ext',
      call: { service: 'acme.kv', method: 'get', args: [] },
    });
    expect(parseArgs(['run', 'ext', '--call', 'math.add', '-1', '2.5']).command).toMatchObject({
      call: { args: [-1, 2.5] },
    });
  });

  it('"--" passes the rest as call arguments, even ones that look like flags', () => {
    expect(parseArgs(['run', 'ext', '--call', 'echo.say', '--', '--json', '-v', '--']).command).toEqual({
      kind: 'run',
      extensionDir: 'ext',
      json: false,
      call: { service: 'echo', method: 'say', args: ['--json', '-v', '--'] },
    });
  });

  it.each([
    [['rnu'], 'unknown command "rnu"; did you mean "run"?', undefined],
    [['frobnicate'], 'unknown command "frobnicate"', undefined],
    [['--hepl'], 'unknown option "--hepl"; did you mean "--help"?', undefined],
    [['run', 'ext', '--jsno'], 'unknown option "--jsno"; did you mean "--json"?', 'run'],
    [
      ['run'],
      'tether run needs the extension folder first: tether run <extension-dir> [--call service.method [args...]]',
      'run',
    ],
    [['run', '--call', 'kv.get', 'ext'], 'tether run needs the extension folder first', 'run'],
    [['run', 'a', 'b'], 'tether run takes one extension folder; unexpected "b"', 'run'],
    [['run', 'ext', '--call'], '--call needs a service.method, like --call kv.get', 'run'],
    [['run', 'ext', '--call', '--json'], '--call needs a service.method', 'run'],
    [['run', 'ext', '--call', 'kv'], '--call needs service.method, like --call kv.get; got "kv"', 'run'],
    [['run', 'ext', '--call', 'kv.'], 'got "kv."', 'run'],
    [['run', 'ext', '--call', '.get'], 'got ".get"', 'run'],
    [['run', 'ext', '--call', 'kv.get-it'], 'got "kv.get-it"', 'run'],
    [['run', 'ext', '--call=', 'x'], '--call needs a service.method', 'run'],
    [['run', 'ext', '--call', 'a.b', '--call', 'c.d'], '--call can be given once', 'run'],
    [['run', 'ext', '--json=1'], '--json takes no value', 'run'],
    [['--json'], '--json belongs to "tether run", "tether list" and "tether exec"', undefined],
    [['logs', '--call', 'a.b'], '--call belongs to "tether run"', 'logs'],
    [['run', 'ext', '--', 'x'], '"--" is only used after --call', 'run'],
    [['run', 'ext', '--version'], '--version is used alone', 'run'],
  ])('%j is a usage error: %s', (argv, message, command) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.command).toBe(command);
  });
});

describe('parseArgs: node:util parseArgs underneath (issue 15)', () => {
  it('tether help [<command>] is help, like --help', () => {
    expect(parseArgs(['help']).command).toEqual({ kind: 'help' });
    expect(parseArgs(['help', 'logs']).command).toEqual({ kind: 'help', topic: 'logs' });
    expect(parseArgs(['help', 'stop']).command).toEqual({ kind: 'help', topic: 'stop' });
    expect(parseArgs(['help', '--help']).command).toEqual({ kind: 'help' });
  });

  it('short flags group (-fh); other words after one "-" are words (-1.5e3, -x)', () => {
    expect(parseArgs(['logs', 'kv', '-fh']).command).toEqual({ kind: 'help', topic: 'logs' });
    expect(parseArgs(['logs', 'kv', '-f']).command).toMatchObject({ follow: true });
    expect(parseArgs(['run', 'ext', '--call', 'math.add', '-1.5e3', '-x', '-fx']).command).toMatchObject({
      call: { args: [-1500, '-x', '-fx'] },
    });
    expect(parseArgs(['exec', 'probe.add', '-12', '-3']).command).toMatchObject({ args: [-12, -3] });
  });

  it('a value that starts with "-" is taken inline only', () => {
    expect(parseArgs(['list', '--data=-odd']).command).toEqual({
      kind: 'list',
      json: false,
      dataFolder: '-odd',
    });
    expect(() => parseArgs(['list', '--data', '-odd'])).toThrow(/--data needs a folder/);
  });

  it('call arguments take the tagged JSON forms: Map, Set, Date, bytes, BigInt', () => {
    const { command } = parseArgs([
      'run',
      'ext',
      '--call',
      'kv.import',
      '{"$map": [["a", {"$date": "2024-05-01T00:00:00.000Z"}]]}',
      '{"$set": [1, 2]}',
      '{"$bytes": "aGk="}',
      '{"$bigint": "-9007199254740993"}',
      'plain',
    ]);
    expect(command).toMatchObject({
      call: {
        args: [
          new Map([['a', new Date(Date.UTC(2024, 4, 1))]]),
          new Set([1, 2]),
          new Uint8Array([104, 105]),
          -9007199254740993n,
          'plain',
        ],
      },
    });
    expect(parseArgs(['exec', 'kv.import', '{"$set": ["x"]}']).command).toMatchObject({
      args: [new Set(['x'])],
    });
  });

  it.each([
    [
      ['run', 'ext', '--call', 'kv.set', 'key', '{"$date": "yesterday"}'],
      'argument 2 of --call kv.set: "$date" needs a date in ISO 8601, like {"$date": "2024-05-01T10:00:00Z"}; got "yesterday"',
      'run',
    ],
    [
      ['run', 'ext', '--call', 'kv.set', '{"a": [{"$bytes": "***"}]}'],
      'argument 1 of --call kv.set at .a[0]: "$bytes" needs the bytes in standard base64',
      'run',
    ],
    [
      ['exec', 'kv.import', '{"$dat": "2024-05-01"}'],
      'argument 1 of tether exec kv.import: unknown tag "$dat"; did you mean "$date"?',
      'exec',
    ],
    [['help', 'rnu'], 'no command "rnu"; did you mean "run"?', undefined],
    [['help', 'run', 'logs'], 'tether help takes one command; unexpected "logs"', undefined],
  ])('%j is a usage error: %s', (argv, message, command) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.command).toBe(command);
  });
});

describe('parseArgs: the host and the commands that talk to it', () => {
  it('host --extensions (repeated, or several folders after one) [--data]', () => {
    expect(parseArgs(['host', '--extensions', 'a']).command).toEqual({
      kind: 'host',
      extensionFolders: ['a'],
    });
    expect(parseArgs(['host', '--extensions', 'a', 'b', '--data', 'd', '--extensions=c']).command).toEqual({
      kind: 'host',
      extensionFolders: ['a', 'b', 'c'],
      dataFolder: 'd',
    });
    expect(parseArgs(['host', '--extensions', 'a', '--', '-odd']).command).toMatchObject({
      extensionFolders: ['a', '-odd'],
    });
  });

  it('list [--json] [--data]', () => {
    expect(parseArgs(['list']).command).toEqual({ kind: 'list', json: false });
    expect(parseArgs(['list', '--json', '--data=/d']).command).toEqual({
      kind: 'list',
      json: true,
      dataFolder: '/d',
    });
  });

  it.each(['start', 'stop', 'restart', 'enable', 'disable'] as const)('%s <extension> [--data]', (action) => {
    expect(parseArgs([action, '@acme/kv']).command).toEqual({
      kind: 'lifecycle',
      action,
      extension: '@acme/kv',
    });
    expect(parseArgs(['--data', 'd', action, 'kv']).command).toEqual({
      kind: 'lifecycle',
      action,
      extension: 'kv',
      dataFolder: 'd',
    });
  });

  it('exec <command-id> [args...]: arguments parsed like --call arguments, "--" for ones like flags', () => {
    expect(parseArgs(['exec', 'kv.export']).command).toEqual({
      kind: 'exec',
      commandId: 'kv.export',
      args: [],
      json: false,
    });
    expect(
      parseArgs(['exec', 'probe.add', '2', '-3', '{"a":1}', 'text', '--json', '--data', 'd']).command,
    ).toEqual({
      kind: 'exec',
      commandId: 'probe.add',
      args: [2, -3, { a: 1 }, 'text'],
      json: true,
      dataFolder: 'd',
    });
    expect(parseArgs(['exec', 'echo', '--', '--json', '-v']).command).toMatchObject({
      args: ['--json', '-v'],
      json: false,
    });
  });

  it('install <source> [--allow-unsigned] [--force] [--data], uninstall <extension> [--purge] [--data]', () => {
    expect(parseArgs(['install', 'kv-1.0.0.tgz']).command).toEqual({
      kind: 'install',
      source: 'kv-1.0.0.tgz',
      allowUnsigned: false,
      force: false,
    });
    expect(
      parseArgs(['install', 'https://x.test/kv.tgz', '--allow-unsigned', '--force', '--data', 'd']).command,
    ).toEqual({
      kind: 'install',
      source: 'https://x.test/kv.tgz',
      allowUnsigned: true,
      force: true,
      dataFolder: 'd',
    });
    expect(parseArgs(['uninstall', '@acme/kv']).command).toEqual({
      kind: 'uninstall',
      extension: '@acme/kv',
      purge: false,
    });
    expect(parseArgs(['uninstall', 'kv', '--purge', '--data=d']).command).toEqual({
      kind: 'uninstall',
      extension: 'kv',
      purge: true,
      dataFolder: 'd',
    });
  });

  it('logs --data, and help for each command', () => {
    expect(parseArgs(['logs', 'kv', '-f', '--data', 'd']).command).toEqual({
      kind: 'logs',
      extension: 'kv',
      follow: true,
      dataFolder: 'd',
    });
    expect(parseArgs(['host', '--help']).command).toEqual({ kind: 'help', topic: 'host' });
    expect(parseArgs(['stop', '-h']).command).toEqual({ kind: 'help', topic: 'stop' });
    // Help wins over a flag of another command: the user is asking how to use this one.
    expect(parseArgs(['list', '--follow', '--help']).command).toEqual({ kind: 'help', topic: 'list' });
  });

  it.each([
    [['host'], 'tether host takes its extension folders after --extensions', 'host'],
    [
      ['host', './exts'],
      'tether host takes its extension folders after --extensions: tether host --extensions <dir> [<dir>...] [--data <dir>]; unexpected "./exts"',
      'host',
    ],
    [['host', '--extensions'], '--extensions needs a folder of extensions', 'host'],
    [['host', '--extensions', 'a', '--data'], '--data needs a folder', 'host'],
    [['host', '--extensions', 'a', '--data', 'd', '--data', 'e'], '--data can be given once', 'host'],
    [['host', '--extensions', 'a', '--data='], '--data needs a folder', 'host'],
    [['host', '--extension', 'a'], 'unknown option "--extension"; did you mean "--extensions"?', 'host'],
    [['list', '--jsno'], 'unknown option "--jsno"; did you mean "--json"?', 'list'],
    [['list', '--dat', 'x'], 'unknown option "--dat"; did you mean "--data"?', 'list'],
    [['list', 'extra'], 'tether list takes no arguments; unexpected "extra"', 'list'],
    [['list', '--follow'], '--follow belongs to "tether logs"', 'list'],
    [['run', 'ext', '--data', 'd'], '--data belongs to "tether host", "tether list", "tether start"', 'run'],
    [['stop'], 'tether stop needs the extension id: tether stop <extension> [--data <dir>]', 'stop'],
    [['restart', 'a', 'b'], 'tether restart takes one extension id; unexpected "b"', 'restart'],
    [['strat', 'kv'], 'unknown command "strat"; did you mean "start"?', undefined],
    [['exec'], 'tether exec needs the command id: tether exec <command-id> [args...]', 'exec'],
    [['exec', 'x', '--extensions', 'a'], '--extensions belongs to "tether host"', 'exec'],
    [['start', 'kv', '--', 'x'], '"--" is only used after --call', 'start'],
    [['install'], 'tether install needs the package: tether install <file.tgz | extension-dir', 'install'],
    [['install', 'a.tgz', 'b.tgz'], 'tether install takes one package; unexpected "b.tgz"', 'install'],
    [['install', 'a.tgz', '--purge'], '--purge belongs to "tether uninstall"', 'install'],
    [['uninstall', 'kv', '--force'], '--force belongs to "tether install"', 'uninstall'],
    [['uninstall'], 'tether uninstall needs the extension id', 'uninstall'],
  ])('%j is a usage error: %s', (argv, message, command) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.command).toBe(command);
  });
});

describe('parseArgs: tether dev', () => {
  it('dev <extension-dir> [--port <n>] [--no-open] [--ui-root <dir>]', () => {
    expect(parseArgs(['dev', './ext']).command).toEqual({ kind: 'dev', extensionDir: './ext', open: true });
    expect(parseArgs(['dev', './ext', '--port', '8080', '--no-open', '--ui-root=ui']).command).toEqual({
      kind: 'dev',
      extensionDir: './ext',
      port: 8080,
      open: false,
      uiRoot: 'ui',
    });
    expect(parseArgs(['dev', './ext', '--port=0']).command).toMatchObject({ port: 0 });
    expect(parseArgs(['dev', '--help']).command).toEqual({ kind: 'help', topic: 'dev' });
  });

  it.each([
    [['dev'], 'tether dev needs the extension folder: tether dev <extension-dir> [--port <n>] [--no-open]'],
    [['dev', 'a', 'b'], 'tether dev takes one extension folder; unexpected "b"'],
    [
      ['dev', 'a', '--port', 'http'],
      '--port must be a port number, 0 to 65535 (0: any free port); got "http"',
    ],
    [['dev', 'a', '--port=65536'], '--port must be a port number'],
    [['dev', 'a', '--port', '-1'], '--port needs a port number (0: any free port)'],
    [['dev', 'a', '--data', 'd'], '--data belongs to'],
    [['dev', 'a', '--no-opne'], 'unknown option "--no-opne"; did you mean "--no-open"?'],
    [['list', '--port', '1'], '--port belongs to "tether dev"'],
  ])('%j is a usage error: %s', (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
  });
});

describe('hasDebugFlag', () => {
  it('finds --debug before "--" only', () => {
    expect(hasDebugFlag(['run', '--debug'])).toBe(true);
    expect(hasDebugFlag(['run', 'x', '--call', 'a.b', '--', '--debug'])).toBe(false);
    expect(hasDebugFlag(['rnu', '--debug'])).toBe(true);
  });
});
