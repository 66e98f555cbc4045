// Both halves of the plugin handshake (protocol.md section 5) over an in-memory transport pair.
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SDK_VERSION } from '../constants.js';
import type { TetherError } from '../errors/tether-error.js';
import { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { RpcPeer } from '../rpc/rpc-peer.js';
import { defineService } from '../rpc/service.js';
import { waitFor } from '../test-support/wait-for.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import type { Transport } from '../transport/transport.js';
import {
  HANDSHAKE_CHANNEL_LABEL,
  parseHandshakeMessage,
  type HandshakeMessage,
} from './handshake-messages.js';
import { performHostHandshake, type HostHandshakeOptions } from './host-handshake.js';
import type { PluginEnvironment } from './plugin-environment.js';
import type { ServeOptions } from './serve-options.js';
import { servePlugin } from './serve-plugin.js';
import { implement, type ServiceBinding } from './service-binding.js';
import { admin, greeter, handshake, hostApi } from './test-fixtures/contract.js';

/** A service whose method calls the host's. */
const relay = defineService<{ greet(name: string): Promise<string> }>()('relay', { methods: { greet: {} } });
const greeterBinding = implement(greeter, { greet: (name) => `Hello, ${name}!` });
const adminBinding = implement(admin, { uptime: () => 42 });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface FakeProcess {
  environment: PluginEnvironment;
  exits: number[];
  stderr: () => string;
  setPpid(pid: number): void;
  setHostAlive(alive: boolean): void;
}

function fakeProcess(
  env: Record<string, string> = { [handshake.cookieKey]: handshake.cookieValue },
): FakeProcess {
  const exits: number[] = [];
  const stderr: string[] = [];
  let ppid = 100;
  let hostAlive = true;
  return {
    environment: {
      env: { TETHER_HOST_PID: '100', ...env },
      pid: 4242,
      ppid: () => ppid,
      isAlive: () => hostAlive,
      writeStderr: (text) => stderr.push(text),
      exit: (code) => exits.push(code),
      hostWatchIntervalMs: 10,
    },
    exits,
    stderr: () => stderr.join(''),
    setPpid: (pid) => (ppid = pid),
    setHostAlive: (alive) => (hostAlive = alive),
  };
}

function hostSide(transport: Transport, options: Partial<HostHandshakeOptions> = {}) {
  const session = new MuxSession(transport, { role: 'initiator' });
  const result = performHostHandshake(session, {
    cookie: { key: handshake.cookieKey, value: handshake.cookieValue },
    versions: [1],
    timeoutMs: 5_000,
    ...options,
  });
  const peer = new RpcPeer(session, { peerName: 'the plugin' });
  cleanups.push(() => peer.dispose());
  result.catch(() => undefined);
  return { session, peer, result };
}

function start(
  serve: Omit<ServeOptions, 'handshake'> = { services: [greeterBinding] },
  host: Partial<HostHandshakeOptions> = {},
  proc: FakeProcess = fakeProcess(),
) {
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const hostEnd = hostSide(hostTransport, host);
  const served = servePlugin(pluginTransport, { handshake, ...serve }, proc.environment);
  served.catch(() => undefined);
  served.then((handle) => cleanups.push(() => handle.peer.dispose())).catch(() => undefined);
  return { ...hostEnd, served, proc };
}

/** A plugin that speaks the handshake by hand, to send what a real one never would. */
function rawPlugin(transport: Transport) {
  const session = new MuxSession(transport, { role: 'acceptor' });
  cleanups.push(() => session.dispose());
  const channel = session.openChannel(HANDSHAKE_CHANNEL_LABEL);
  const received: HandshakeMessage[] = [];
  channel.onDidReceive((bytes) => received.push(parseHandshakeMessage(bytes, 'the host')));
  const send = (value: unknown): void => {
    channel.send(new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));
  };
  return { session, channel, received, send };
}

/** A host that speaks the handshake by hand. */
function rawHost(transport: Transport) {
  const session = new MuxSession(transport, { role: 'initiator' });
  cleanups.push(() => session.dispose());
  const received: HandshakeMessage[] = [];
  let channel: MuxChannel | undefined;
  session.onDidOpenChannel((opened) => {
    if (opened.label !== HANDSHAKE_CHANNEL_LABEL) return;
    channel = opened;
    opened.onDidReceive((bytes) => received.push(parseHandshakeMessage(bytes, 'the plugin')));
  });
  const send = (value: unknown): void => {
    channel!.send(new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));
  };
  return { session, received, send };
}

const hello = (overrides: Record<string, unknown> = {}) => ({
  type: 'hello',
  core: PROTOCOL_VERSION,
  sdk: '0.1.0',
  pid: 7,
  cookie: handshake.cookieValue,
  versions: { '1': ['greeter'] },
  ...overrides,
});

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition) });
}

describe('plugin handshake', () => {
  it('HELLO, WELCOME, READY: both sides start and calls work both ways', async () => {
    const { result, peer, served } = start();
    const started = await result;
    expect(started).toMatchObject({
      version: 1,
      services: ['greeter'],
      pluginPid: 4242,
      sdkVersion: SDK_VERSION,
    });
    const handle = await served;
    expect(handle.version).toBe(1);
    expect(await peer.remote(greeter).greet('Ada')).toBe('Hello, Ada!');
    peer.expose(hostApi, { appName: () => 'the test app' });
    expect(await handle.host(hostApi).appName()).toBe('the test app');
  });

  it('a plugin without the cookie is rejected on both sides with COOKIE_MISMATCH and exits 1', async () => {
    const proc = fakeProcess({});
    const { result, served } = start(undefined, undefined, proc);
    await expect(result).rejects.toMatchObject({ code: 'COOKIE_MISMATCH' });
    await expect(served).rejects.toMatchObject({ code: 'COOKIE_MISMATCH' });
    expect(proc.exits).toEqual([1]);
    expect(proc.stderr()).toContain(
      `did not accept this app's magic cookie (environment variable ${handshake.cookieKey})`,
    );
  });

  it('a wrong cookie value is COOKIE_MISMATCH too', async () => {
    const proc = fakeProcess({ [handshake.cookieKey]: 'another-app' });
    const { result, served } = start(undefined, undefined, proc);
    await expect(result).rejects.toMatchObject({ code: 'COOKIE_MISMATCH' });
    await expect(served).rejects.toMatchObject({ code: 'COOKIE_MISMATCH' });
    expect(proc.exits).toEqual([1]);
  });

  it('with a per-launch secret, HELLO must carry it: the right one starts, none or a wrong one is AUTH_FAILED', async () => {
    const secret = 'c2VjcmV0LW9mLXRoaXMtbGF1bmNo';
    const good = start(
      undefined,
      { secret },
      fakeProcess({ [handshake.cookieKey]: handshake.cookieValue, TETHER_PLUGIN_SECRET: secret }),
    );
    expect((await good.result).services).toEqual(['greeter']);
    for (const auth of [undefined, 'wrong', `${secret}x`, secret.slice(0, -1), '']) {
      const [hostTransport, pluginTransport] = createMemoryTransportPair();
      const { result, session } = hostSide(hostTransport, { secret });
      const impostor = rawPlugin(pluginTransport);
      impostor.send(hello({ pid: 1, ...(auth === undefined ? {} : { auth }) }));
      const error = (await result.catch((e: unknown) => e)) as TetherError;
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.message).toContain('says it is pid 1');
      expect(error.message).not.toContain(secret);
      await waitFor(() => impostor.received.length > 0, { what: 'the REJECT' });
      expect(impostor.received[0]).toMatchObject({ type: 'reject', code: 'AUTH_FAILED' });
      expect(session.closed).toBe(true);
    }
  });

  it('a failed handshake closes the session with GOAWAY code 1 (protocol error), after the REJECT', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result } = hostSide(hostTransport);
    const plugin = rawPlugin(pluginTransport);
    const closes: (TetherError | undefined)[] = [];
    plugin.session.onDidClose((event) => closes.push(event.error));
    plugin.send(hello({ cookie: 'another-app' }));
    await expect(result).rejects.toMatchObject({ code: 'COOKIE_MISMATCH' });
    await waitFor(() => closes.length > 0, { what: 'the plugin side to see the session close' });
    expect(plugin.received[0]).toMatchObject({ type: 'reject', code: 'COOKIE_MISMATCH' });
    expect(closes[0]?.message).toMatch(/GOAWAY, protocol error: .*magic cookie/);
  });

  it('a different core protocol is rejected with CORE_VERSION_MISMATCH saying which SDK to rebuild with', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result, session } = hostSide(hostTransport);
    const plugin = rawPlugin(pluginTransport);
    plugin.send(hello({ core: PROTOCOL_VERSION + 1, sdk: '9.0.0' }));
    const error = (await result.catch((e: unknown) => e)) as TetherError;
    expect(error.code).toBe('CORE_VERSION_MISMATCH');
    expect(error.message).toContain(
      `speaks Tether core protocol ${PROTOCOL_VERSION + 1} (it says its SDK is "9.0.0"); this app speaks core protocol ${PROTOCOL_VERSION}. Rebuild the plugin with @tether/sdk 0.x, or update the app; a plugin written without the Node SDK must implement core protocol ${PROTOCOL_VERSION} (docs/protocol.md)`,
    );
    await until(() => plugin.received.length > 0);
    expect(plugin.received[0]).toEqual({
      type: 'reject',
      code: 'CORE_VERSION_MISMATCH',
      message: error.message,
    });
    expect(session.closed).toBe(true);
  });

  it('no common version: both sides see NO_COMMON_VERSION listing both sides’ versions', async () => {
    const proc = fakeProcess();
    const { result, served } = start(
      { versionedServices: { 1: [greeterBinding], 2: [greeterBinding, adminBinding] } },
      { versions: [3] },
      proc,
    );
    const message =
      'No common protocol version: the plugin serves versions 1, 2; this app supports version 3; update the plugin';
    await expect(result).rejects.toMatchObject({
      code: 'NO_COMMON_VERSION',
      message: expect.stringContaining(message),
    });
    await expect(served).rejects.toMatchObject({ code: 'NO_COMMON_VERSION' });
    expect(proc.stderr()).toContain(message);
    expect(proc.exits).toEqual([1]);
  });

  it('a services function builds them with host() and log: HELLO names them, calls reach the host', async () => {
    let built = 0;
    const { result, peer, served } = start({
      services: (plugin) => {
        built += 1;
        expect(typeof plugin.log.info).toBe('function');
        const app = plugin.host(hostApi); // taken at build time, used in calls
        return [implement(relay, { greet: async (name) => `Hello, ${name}, from ${await app.appName()}!` })];
      },
    });
    expect(await result).toMatchObject({ version: 1, services: ['relay'] });
    await served;
    peer.expose(hostApi, { appName: () => 'the test app' });
    expect(await peer.remote(relay).greet('Ada')).toBe('Hello, Ada, from the test app!');
    expect(built).toBe(1);
  });

  it('a services function that throws, returns a promise or bad bindings fails serve with INVALID_OPTIONS', async () => {
    const threw = start({
      services: () => {
        throw new Error('no database');
      },
    });
    await expect(threw.served).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/^serve\(\): the services function threw: no database\./),
    });
    const promised = start({
      services: (() => Promise.resolve([greeterBinding])) as unknown as () => readonly ServiceBinding[],
    });
    await expect(promised.served).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/returned a promise: it must return the bindings at once/),
    });
    const bad = start({ services: () => [{} as ServiceBinding] });
    await expect(bad.served).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/not made by implement/),
    });
  });

  it('the newest common version is chosen and exactly its services are exposed', async () => {
    const versionedServices = { 1: [greeterBinding], 2: [greeterBinding, adminBinding] };
    const newest = start({ versionedServices }, { versions: [1, 2, 3] });
    expect(await newest.result).toMatchObject({ version: 2, services: ['greeter', 'admin'] });
    expect((await newest.served).version).toBe(2);
    expect(await newest.peer.remote(admin).uptime()).toBe(42);

    const older = start({ versionedServices }, { versions: [1] });
    expect(await older.result).toMatchObject({ version: 1, services: ['greeter'] });
    await older.served;
    await expect(older.peer.remote(admin).uptime()).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
  });

  it('START_TIMEOUT when the plugin never says HELLO', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result, session } = hostSide(hostTransport, { timeoutMs: 50 });
    const silent = new MuxSession(pluginTransport, { role: 'acceptor' });
    cleanups.push(() => silent.dispose());
    await expect(result).rejects.toMatchObject({
      code: 'START_TIMEOUT',
      message: expect.stringContaining('did not say HELLO within 50 ms'),
    });
    expect(session.closed).toBe(true);
  });

  it('the session closing during the handshake rejects with CONNECTION_CLOSED (for PLUGIN_EXITED)', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result } = hostSide(hostTransport);
    const plugin = rawPlugin(pluginTransport);
    plugin.send(hello({ cookie: handshake.cookieValue }));
    plugin.session.dispose();
    await expect(result).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('malformed JSON from the plugin is HANDSHAKE_FAILED saying what was wrong', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result } = hostSide(hostTransport);
    rawPlugin(pluginTransport).send('{"type":"hello",');
    await expect(result).rejects.toMatchObject({
      code: 'HANDSHAKE_FAILED',
      message: expect.stringContaining('the plugin sent a message that is not JSON'),
    });
  });

  it('a message out of order (READY before HELLO) is HANDSHAKE_FAILED', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result } = hostSide(hostTransport);
    rawPlugin(pluginTransport).send({ type: 'ready' });
    await expect(result).rejects.toMatchObject({
      code: 'HANDSHAKE_FAILED',
      message: expect.stringContaining('"ready" before "hello"'),
    });
  });

  it('malformed JSON from the host makes the plugin exit 1 with HANDSHAKE_FAILED', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const host = rawHost(hostTransport);
    const proc = fakeProcess();
    const served = servePlugin(pluginTransport, { handshake, services: [greeterBinding] }, proc.environment);
    served.catch(() => undefined);
    await until(() => host.received.length > 0);
    expect(host.received[0]).toEqual({
      type: 'hello',
      core: PROTOCOL_VERSION,
      sdk: SDK_VERSION,
      pid: 4242,
      cookie: handshake.cookieValue,
      versions: { '1': ['greeter'] },
      acks: true,
    });
    host.send('not json');
    await expect(served).rejects.toMatchObject({ code: 'HANDSHAKE_FAILED' });
    expect(proc.exits).toEqual([1]);
    expect(proc.stderr()).toContain('the host sent a message that is not JSON');
  });

  it('the abort signal fails the handshake with ABORTED', async () => {
    const [hostTransport] = createMemoryTransportPair();
    const controller = new AbortController();
    const { result } = hostSide(hostTransport, { signal: controller.signal });
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('rejects bad options with INVALID_OPTIONS', async () => {
    const [hostTransport] = createMemoryTransportPair();
    const session = new MuxSession(hostTransport, { role: 'initiator' });
    cleanups.push(() => session.dispose());
    const options = { cookie: { key: 'K', value: 'v' }, versions: [1], timeoutMs: 10 };
    await expect(performHostHandshake(session, { ...options, versions: [] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    await expect(performHostHandshake(session, { ...options, timeoutMs: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});

describe('stopping and the host’s death', () => {
  it('STOP runs onStop, stops taking calls and exits 0; the host sees the session close', async () => {
    let stopped = 0;
    const { result, served, proc, peer } = start({
      services: [greeterBinding],
      onStop: () => void stopped++,
    });
    const { control } = await result;
    await served;
    const closed = new Promise<void>((resolve) => control.onDidClose(() => resolve()));
    control.requestStop(1_000);
    control.requestStop(1_000); // once only
    await until(() => proc.exits.length > 0);
    expect(stopped).toBe(1);
    expect(proc.exits).toEqual([0]);
    expect(proc.stderr()).toBe('');
    await closed;
    expect(control.closed).toBe(true);
    await expect(peer.remote(greeter).greet('late')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('an onStop that overruns the grace is cut short: exit 1 with the reason', async () => {
    const { result, served, proc } = start({
      services: [greeterBinding],
      onStop: () => new Promise<void>(() => undefined),
    });
    (await result).control.requestStop(30);
    await served;
    await until(() => proc.exits.length > 0);
    expect(proc.exits).toEqual([1]);
    expect(proc.stderr()).toContain('did not finish within the host’s grace of 30 ms'.replace('’', "'"));
  });

  it('handle.stop() stops as STOP would', async () => {
    let stopped = false;
    const { result, served, proc } = start({
      services: [greeterBinding],
      onStop: () => void (stopped = true),
    });
    await result;
    await (await served).stop();
    expect(stopped).toBe(true);
    expect(proc.exits).toEqual([0]);
  });

  it('the transport closing without a STOP exits 1', async () => {
    const { result, served, proc, peer } = start();
    await result;
    await served;
    peer.dispose();
    await until(() => proc.exits.length > 0);
    expect(proc.exits).toEqual([1]);
    expect(proc.stderr()).toContain('the connection to the host closed');
  });

  it('the parent pid changing exits 1', async () => {
    const { result, served, proc } = start();
    await result;
    await served;
    proc.setPpid(1);
    await until(() => proc.exits.length > 0);
    expect(proc.exits).toEqual([1]);
    expect(proc.stderr()).toContain('its parent process (pid 100) is gone');
  });

  it('TETHER_HOST_PID no longer existing exits 1', async () => {
    const { result, served, proc } = start();
    await result;
    await served;
    proc.setHostAlive(false);
    await until(() => proc.exits.length > 0);
    expect(proc.exits).toEqual([1]);
    expect(proc.stderr()).toContain('the host process (pid 100, from TETHER_HOST_PID) no longer exists');
  });
});

describe('call acknowledgements in the handshake (protocol.md section 4.8)', () => {
  const waiter = defineService<{ wait(): Promise<string> }>()('waiter', { methods: { wait: {} } });

  /** A plugin that serves greeter and a `waiter.wait()` that answers only once `release` is called. */
  function withWaiter(host: Partial<HostHandshakeOptions> = {}) {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const wait = async (): Promise<string> => {
      await gate;
      return 'done';
    };
    return { ...start({ services: [greeterBinding, implement(waiter, { wait })] }, host), release };
  }

  it('HELLO offers ACKs, WELCOME asks for them, and the plugin then acknowledges the calls it runs', async () => {
    const { result, peer, release } = withWaiter();
    expect((await result).acks).toBe(true);
    peer.expectAcks();
    const call = peer.remote(waiter).wait();
    expect(peer.stats().unacknowledgedCalls).toBe(1);
    await until(() => peer.stats().unacknowledgedCalls === 0); // the ACK came; the call still waits
    release();
    expect(await call).toBe('done');
  });

  it('a plugin whose HELLO does not offer ACKs (an older SDK) gets the WELCOME of before', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const { result } = hostSide(hostTransport);
    const plugin = rawPlugin(pluginTransport);
    plugin.send(hello());
    await until(() => plugin.received.length > 0);
    expect(plugin.received[0]).toEqual({ type: 'welcome', version: 1, services: ['greeter'] });
    plugin.send({ type: 'ready' });
    expect((await result).acks).toBe(false);
  });

  it('a plugin that offers ACKs is asked for them unless the host says acks: false', async () => {
    for (const acks of [true, false]) {
      const [hostTransport, pluginTransport] = createMemoryTransportPair();
      const { result } = hostSide(hostTransport, acks ? {} : { acks });
      const plugin = rawPlugin(pluginTransport);
      plugin.send(hello({ acks: true }));
      await until(() => plugin.received.length > 0);
      expect(plugin.received[0]).toEqual({
        type: 'welcome',
        version: 1,
        services: ['greeter'],
        ...(acks ? { acks } : {}),
      });
      plugin.send({ type: 'ready' });
      expect((await result).acks).toBe(acks);
    }
  });

  it('a plugin the host did not ask sends no ACK', async () => {
    const { result, served, peer, release } = withWaiter({ acks: false });
    expect((await result).acks).toBe(false);
    const handle = await served;
    peer.expectAcks(); // against the negotiation, only to count what arrives
    const call = peer.remote(waiter).wait();
    await until(() => handle.peer.stats().runningHandlers === 1);
    // The plugin started wait() turns ago; an ACK for it would come before this answer on the same channel.
    expect(await peer.remote(greeter).greet('Ada')).toBe('Hello, Ada!');
    expect(peer.stats().unacknowledgedCalls).toBe(1);
    release();
    expect(await call).toBe('done');
    expect(peer.stats().unacknowledgedCalls).toBe(0);
  });

  it('rejects an acks option that is not a boolean', async () => {
    const [hostTransport] = createMemoryTransportPair();
    const session = new MuxSession(hostTransport, { role: 'initiator' });
    cleanups.push(() => session.dispose());
    await expect(
      performHostHandshake(session, {
        cookie: { key: handshake.cookieKey, value: handshake.cookieValue },
        versions: [1],
        timeoutMs: 1000,
        acks: 'yes' as unknown as boolean,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('acks') });
  });
});
