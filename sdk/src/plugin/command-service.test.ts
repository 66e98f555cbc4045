// Contributed commands: serve({ commands }) checks its handlers, serves `tether.commands` at every version,
// and the host runs them with commandService (over an in-memory transport pair; the real-process test is
// extension-host/src/client/commands.process.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_SERVICE_NAME } from '../constants.js';
import { RemoteError } from '../rpc/remote-error.js';
import { RpcPeer } from '../rpc/rpc-peer.js';
import { defineService } from '../rpc/service.js';
import { MuxSession } from '../mux/mux-session.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { TetherError } from '../errors/tether-error.js';
import { commandService, isValidCommandId, type CommandHandlers } from './command-service.js';
import { performHostHandshake } from './host-handshake.js';
import type { PluginEnvironment } from './plugin-environment.js';
import { serve } from './serve.js';
import { resolveServedVersions, type ServeOptions } from './serve-options.js';
import { servePlugin } from './serve-plugin.js';
import { implement } from './service-binding.js';
import { admin, greeter, handshake } from './test-fixtures/contract.js';

const greeterBinding = implement(greeter, { greet: (name) => `Hello, ${name}!` });
const adminBinding = implement(admin, { uptime: () => 42 });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const environment: PluginEnvironment = {
  env: { [handshake.cookieKey]: handshake.cookieValue },
  pid: 4242,
  ppid: () => 100,
  isAlive: () => true,
  writeStderr: () => undefined,
  exit: () => undefined,
  hostWatchIntervalMs: 60_000,
};

/** A plugin served with `options` and the host connected to it; resolves once the handshake is done. */
async function connect(options: Omit<ServeOptions, 'handshake'>, versions: readonly number[] = [1]) {
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const session = new MuxSession(hostTransport, { role: 'initiator' });
  const result = performHostHandshake(session, {
    cookie: { key: handshake.cookieKey, value: handshake.cookieValue },
    versions,
    timeoutMs: 10_000,
  });
  const peer = new RpcPeer(session, { peerName: 'the plugin' });
  cleanups.push(() => peer.dispose());
  const handle = await servePlugin(pluginTransport, { handshake, ...options }, environment);
  cleanups.push(() => handle.peer.dispose());
  return { peer, started: await result };
}

function invalidOptions(options: Omit<ServeOptions, 'handshake'>): string {
  try {
    resolveServedVersions({ handshake, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(TetherError);
    expect((error as TetherError).code).toBe('INVALID_OPTIONS');
    return (error as Error).message;
  }
  throw new Error('expected the options to be rejected');
}

describe('serve({ commands }): the options', () => {
  it('serves tether.commands after the plugin’s services, at every version, only when commands are given', () => {
    const commands = { 'kv.clear': () => undefined };
    const single = resolveServedVersions({ handshake, services: [greeterBinding], commands });
    expect([...single].map(([v, b]) => [v, b.map((x) => x.definition.name)])).toEqual([
      [1, ['greeter', COMMAND_SERVICE_NAME]],
    ]);
    const versioned = resolveServedVersions({
      handshake,
      versionedServices: { 1: [greeterBinding], 2: [greeterBinding, adminBinding] },
      commands,
    });
    expect([...versioned].map(([v, b]) => [v, b.map((x) => x.definition.name)])).toEqual([
      [1, ['greeter', COMMAND_SERVICE_NAME]],
      [2, ['greeter', 'admin', COMMAND_SERVICE_NAME]],
    ]);
    const none = resolveServedVersions({ handshake, services: [greeterBinding] });
    expect([...none].map(([v, b]) => [v, b.map((x) => x.definition.name)])).toEqual([[1, ['greeter']]]);
    expect(commandService.name).toBe('tether.commands');
  });

  it('a plugin may serve commands and no service of its own', () => {
    const versions = resolveServedVersions({ handshake, services: [], commands: { a: () => 1 } });
    expect(versions.get(1)?.map((b) => b.definition.name)).toEqual([COMMAND_SERVICE_NAME]);
  });

  it('rejects commands that are not an object of functions, saying which entry to fix', () => {
    expect(invalidOptions({ services: [], commands: [] as unknown as CommandHandlers })).toBe(
      "serve(): commands must be an object mapping each command id to its handler, like { 'kv.clear': async () => … }; got a list.",
    );
    expect(invalidOptions({ services: [], commands: null as unknown as CommandHandlers })).toContain(
      'got null',
    );
    expect(
      invalidOptions({ services: [], commands: { 'kv.clear': 'clear' } as unknown as CommandHandlers }),
    ).toBe('serve(): the handler of command "kv.clear" must be a function; got "clear".');
    expect(invalidOptions({ services: [], commands: { 'kv clear': () => 1 } })).toBe(
      `serve(): command id "kv clear" is not valid: use letters, digits, '.', '_' or '-', starting with a letter (at most 128 characters), like "kv.clear".`,
    );
  });

  it.each(['', '1st', '.kv', 'kv clear', 'kv/clear', 'kv:clear', '__proto__', 'k'.repeat(129)])(
    'command id %j is invalid',
    (id) => {
      expect(isValidCommandId(id)).toBe(false);
      expect(invalidOptions({ services: [], commands: { [id]: () => 1 } })).toMatch(
        /^serve\(\): command id .* is not valid/,
      );
    },
  );

  it.each(['kv.clear', 'a', 'Kv-2_x.y', 'constructor', 'k'.repeat(128)])('command id %j is valid', (id) => {
    expect(isValidCommandId(id)).toBe(true);
  });

  it('the name tether.commands is reserved: serve() rejects a service of that name', async () => {
    const impostor = defineService<{ run(): void }>()(COMMAND_SERVICE_NAME, { methods: { run: {} } });
    const binding = implement(impostor, { run: () => undefined });
    const expected = {
      code: 'INVALID_OPTIONS',
      message: `serve(): version 1 lists a service named "tether.commands", a name reserved for the built-in commands service; rename the service, or pass command handlers as serve({ commands }).`,
    };
    await expect(serve({ handshake, services: [binding] })).rejects.toMatchObject(expected);
    await expect(serve({ handshake, services: [binding], commands: { a: () => 1 } })).rejects.toMatchObject(
      expected,
    );
    expect(() =>
      resolveServedVersions({ handshake, versionedServices: { 1: [greeterBinding], 3: [binding] } }),
    ).toThrow('version 3 lists a service named "tether.commands"');
  });
});

describe('the host runs commands through commandService', () => {
  it('the handshake lists tether.commands only when commands were given', async () => {
    const withCommands = await connect({ services: [greeterBinding], commands: { a: () => 1 } });
    expect(withCommands.started.services).toEqual(['greeter', COMMAND_SERVICE_NAME]);
    const without = await connect({ services: [greeterBinding] });
    expect(without.started.services).toEqual(['greeter']);
    await expect(without.peer.remote(commandService).list()).rejects.toMatchObject({
      code: 'SERVICE_NOT_FOUND',
    });
  });

  it('at the negotiated version, whichever it is', async () => {
    const { peer, started } = await connect(
      { versionedServices: { 1: [greeterBinding], 2: [adminBinding] }, commands: { a: () => 'A' } },
      [1],
    );
    expect(started.services).toEqual(['greeter', COMMAND_SERVICE_NAME]);
    expect(await peer.remote(commandService).execute('a', [])).toBe('A');
  });

  it('execute spreads the arguments; Map and Date cross both ways; list names the ids in order', async () => {
    const received: unknown[][] = [];
    const { peer } = await connect({
      services: [],
      commands: {
        'kv.count': (entries: Map<string, number>, since: Date) => {
          received.push([entries, since]);
          return { total: entries.size, at: new Date(since.getTime() + 1000) };
        },
        'kv.clear': async () => {
          await Promise.resolve();
          return new Map([['cleared', true]]);
        },
      },
    });
    const commands = peer.remote(commandService);
    expect(await commands.list()).toEqual(['kv.count', 'kv.clear']);
    const since = new Date(Date.UTC(2024, 0, 1));
    const result = await commands.execute('kv.count', [
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
      since,
    ]);
    expect(result).toEqual({ total: 2, at: new Date(Date.UTC(2024, 0, 1, 0, 0, 1)) });
    expect((result as { at: unknown }).at).toBeInstanceOf(Date);
    expect(received[0]?.[0]).toBeInstanceOf(Map);
    expect(await commands.execute('kv.clear', [])).toEqual(new Map([['cleared', true]]));
  });

  it('an unknown id rejects with COMMAND_NOT_FOUND listing the registered ids', async () => {
    const { peer } = await connect({
      services: [],
      commands: { 'kv.clear': () => 1, 'kv.dump': () => 2 },
    });
    const error = (await peer
      .remote(commandService)
      .execute('kv.clr', [])
      .catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.code).toBe('COMMAND_NOT_FOUND');
    expect(error.message).toBe(
      `This plugin has no command "kv.clr" (its commands are "kv.clear", "kv.dump"). Run one of those, or register it with serve({ commands }) and list it in the manifest's contributes.commands.`,
    );
  });

  it('finds only the ids given: inherited names are not commands', async () => {
    const { peer } = await connect({ services: [], commands: {} });
    const commands = peer.remote(commandService);
    expect(await commands.list()).toEqual([]);
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      await expect(commands.execute(id, [])).rejects.toMatchObject({
        code: 'COMMAND_NOT_FOUND',
        message: expect.stringContaining('(it registers none)') as unknown,
      });
    }
  });

  it('a long list of ids is cut in the message', async () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`c${i}`, () => i]));
    const { peer } = await connect({ services: [], commands: many });
    await expect(peer.remote(commandService).execute('x', [])).rejects.toMatchObject({
      message: expect.stringContaining('"c19" and 5 more)') as unknown,
    });
  });

  it('arguments that are not an array reject with INVALID_ARGUMENT', async () => {
    const { peer } = await connect({ services: [], commands: { a: () => 1 } });
    await expect(peer.remote(commandService).execute('a', 'x' as unknown as unknown[])).rejects.toMatchObject(
      {
        code: 'INVALID_ARGUMENT',
        message:
          'Command "a" was run with "x" as its arguments; pass them as an array: execute("a", [arg1, arg2]).',
      },
    );
  });

  it('a throwing handler’s error keeps its name, message, code, stack and cause', async () => {
    class QuotaError extends Error {
      override name = 'QuotaError';
      readonly code = 'QUOTA_EXCEEDED';
    }
    const { peer } = await connect({
      services: [],
      commands: {
        'kv.fill': () => {
          throw new QuotaError('the store is full', { cause: new TypeError('disk quota') });
        },
        'kv.sync': () => Promise.reject(new TetherError('TIMEOUT', 'the server did not answer')),
      },
    });
    const commands = peer.remote(commandService);
    const error = (await commands.execute('kv.fill', []).catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      name: 'QuotaError',
      code: 'QUOTA_EXCEEDED',
      message: 'the store is full',
    });
    expect(error.remoteStack).toContain('QuotaError: the store is full');
    expect(error.cause).toBeInstanceOf(RemoteError);
    expect(error.cause).toMatchObject({ name: 'TypeError', message: 'disk quota' });
    await expect(commands.execute('kv.sync', [])).rejects.toMatchObject({
      name: 'TetherError',
      code: 'TIMEOUT',
      message: 'the server did not answer',
    });
  });

  it('handlers run with the commands object as `this`, and are copied when served', async () => {
    // Only own entries are commands: `prefix` (inherited) is data the handler reads through `this`.
    const target = Object.assign(Object.create({ prefix: 'kv:' }) as { prefix: string }, {
      'kv.key': function (this: { prefix: string }, key: string) {
        return this.prefix + key;
      },
    }) as unknown as Record<string, (...args: never[]) => unknown>;
    const { peer } = await connect({ services: [], commands: target });
    expect(await peer.remote(commandService).list()).toEqual(['kv.key']);
    expect(await peer.remote(commandService).execute('kv.key', ['a'])).toBe('kv:a');
    target['kv.late'] = () => 'late';
    await expect(peer.remote(commandService).execute('kv.late', [])).rejects.toMatchObject({
      code: 'COMMAND_NOT_FOUND',
    });
  });
});
