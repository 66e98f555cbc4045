// PluginClient against a real plugin process whose misbehaviour is picked by a flag
// (test-fixtures/misbehaving-plugin.ts).
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter, implement, withCallOptions, type Event } from '@tether/sdk';
import type { Transport, TransportCloseEvent } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { DEFAULT_STOP_GRACE_MS } from '../constants.js';
import { NodeRunner } from '../runner/node-runner.js';
import type { LaunchedPlugin, LaunchSpec, Runner } from '../runner/runner.js';
import { FIXTURE_START_TIMEOUT_MS, TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { LogStore } from '../logging/log-store.js';
import { stopAllClients } from './client-registry.js';
import { PluginClient } from './plugin-client.js';
import type { PluginClientOptions } from './plugin-client-options.js';
import { isRunning } from './test-fixtures/is-running.js';
import { fixture, fixtureHandshake, hostHelper } from './test-fixtures/contract.js';

const entry = fileURLToPath(new URL('./test-fixtures/misbehaving-plugin.ts', import.meta.url));
const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

function collector(): { writer: Writable; text(): string } {
  const chunks: string[] = [];
  return {
    writer: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    }),
    text: () => chunks.join(''),
  };
}

async function start(mode: string, options: Partial<PluginClientOptions> = {}): Promise<PluginClient> {
  const client = await PluginClient.start({
    spec: {
      name: `fixture-${mode}`,
      entry,
      args: [mode],
      nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
    },
    handshake: fixtureHandshake,
    runner: new NodeRunner({ output: null }),
    startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    ...options,
  });
  clients.push(client);
  return client;
}

/**
 * A runner that hands the client a plugin only once it has connected and, with `firstBytes`, sent its first
 * bytes (held, and given to the client's session as soon as it listens). The client's start deadline then
 * runs out in the handshake phase under test, however slowly a loaded machine starts the fixture: which
 * phase a START_TIMEOUT names no longer depends on a race between tsx's start-up and the deadline.
 */
class ConnectedFirstRunner implements Runner {
  readonly kind = 'node';
  readonly #inner = new NodeRunner({ output: null });

  constructor(readonly firstBytes: boolean) {}

  async launch(spec: LaunchSpec, handshakeEnv: Readonly<Record<string, string>>): Promise<LaunchedPlugin> {
    const launched = await this.#inner.launch(spec, handshakeEnv);
    const held = new HeldTransport(await launched.connection());
    if (this.firstBytes) await held.arrived;
    return new Proxy(launched, {
      get(target, property) {
        if (property === 'connection') return () => Promise.resolve(held);
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

/** A transport that keeps what arrives until someone listens, then hands it over (in a microtask) and forwards. */
class HeldTransport implements Transport {
  readonly kind: string;
  readonly arrived: Promise<void>;
  readonly #inner: Transport;
  readonly #held: Uint8Array[] = [];
  readonly #received = new Emitter<Uint8Array>();
  #listening = false;

  constructor(inner: Transport) {
    this.kind = inner.kind;
    this.#inner = inner;
    let arrived!: () => void;
    this.arrived = new Promise((resolve) => (arrived = resolve));
    inner.onDidReceive((chunk) => {
      if (this.#held.length > 0 || !this.#listening) this.#held.push(chunk);
      else this.#received.fire(chunk);
      arrived();
    });
  }

  get closed(): boolean {
    return this.#inner.closed;
  }
  readonly onDidReceive: Event<Uint8Array> = (listener) => {
    const subscription = this.#received.event(listener);
    if (!this.#listening) {
      this.#listening = true;
      queueMicrotask(() => {
        for (const chunk of this.#held.splice(0)) this.#received.fire(chunk);
      });
    }
    return subscription;
  };
  get onDidClose(): Event<TransportCloseEvent> {
    return this.#inner.onDidClose;
  }
  write(chunks: readonly Uint8Array[]): boolean {
    return this.#inner.write(chunks);
  }
  close(): void {
    this.#inner.close();
  }
  dispose(): void {
    this.#inner.dispose();
  }
}

describe('PluginClient', () => {
  it('starts a plugin, dispenses a typed service, pings and stops it gracefully', async () => {
    const client = await start('well-behaved');
    expect(client.state).toBe('running');
    expect(client.services).toEqual(['fixture']);
    expect(client.version).toBe(1);
    expect(await client.dispense(fixture).add(2, 3)).toBe(5);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    const exits: unknown[] = [];
    client.onDidExit((exit) => exits.push(exit));
    expect(await client.stop()).toEqual({ code: 0, signal: null });
    expect(client.state).toBe('exited');
    expect(exits).toEqual([{ code: 0, signal: null, expected: true }]);
  });

  it('lets the plugin call services the host exposes', async () => {
    const client = await start('well-behaved', {
      hostServices: [implement(hostHelper, { triple: (n) => n * 3 })],
    });
    expect(await client.dispense(fixture).callHost(7)).toBe(21);
  });

  it('refuses to dispense a service the plugin does not serve', async () => {
    const client = await start('well-behaved');
    expect(() => client.dispense(hostHelper)).toThrow(/does not serve "fixture.host"/);
  });

  it('rejects every pending call with PLUGIN_EXITED as soon as the plugin dies mid-call, and reports a crash', async () => {
    const client = await start('well-behaved');
    const remote = client.dispense(fixture);
    const crashes: unknown[] = [];
    client.onDidCrash((crash) => crashes.push(crash));
    const pending = Promise.allSettled([remote.sleep(60_000), remote.sleep(60_000)]);
    // The plugin answers calls in order: once add() is answered, both sleep() handlers are running.
    expect(await remote.add(0, 0)).toBe(0);
    const exited = new Promise<number>((resolve) => client.onDidExit(() => resolve(Date.now())));
    void remote.crash(7).catch(() => undefined);
    const results = await pending;
    const settledAt = Date.now();
    // A generous bound, not a figure (a loaded machine is slow): the exit, not a 60 s call, ended the calls.
    expect(settledAt - (await exited)).toBeLessThan(2000);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'PLUGIN_EXITED' });
    }
    expect(crashes).toEqual([{ code: 7, signal: null, stderrTail: [] }]);
    expect(client.state).toBe('exited');
  });

  it('starts despite stray stdout before and after the handshake', async () => {
    const client = await start('stdout-noise');
    expect(await client.dispense(fixture).add(1, 1)).toBe(2);
  });

  it('reports a plugin that exits before the handshake with its exit code and stderr, not a timeout', async () => {
    const started = Date.now();
    await expect(start('crash-on-start')).rejects.toMatchObject({
      code: 'PLUGIN_EXITED',
      message: expect.stringMatching(/exited with code 3[\s\S]*cannot open the database/),
    });
    expect(Date.now() - started).toBeLessThan(FIXTURE_START_TIMEOUT_MS); // the exit ended it, not the timeout
    await expect(start('exit-during-handshake')).rejects.toMatchObject({
      code: 'PLUGIN_EXITED',
      message: expect.stringMatching(/exited with code 4[\s\S]*half-way/),
    });
  });

  it('fails with START_TIMEOUT saying whether the connection, HELLO or READY was missing', async () => {
    await expect(start('never-connect', { startTimeoutMs: 800 })).rejects.toMatchObject({
      code: 'START_TIMEOUT',
      message: expect.stringMatching(
        /^Plugin "fixture-never-connect" did not connect to the host within 800 ms .*serve\(\).*a plugin in another language: that it connects to TETHER_SOCKET/,
      ),
    });
    // The client gets these two plugins once they have connected (and the second has said HELLO), so the
    // deadline, however short, runs out in the phase under test.
    await expect(
      start('never-handshake', { startTimeoutMs: 800, runner: new ConnectedFirstRunner(false) }),
    ).rejects.toMatchObject({
      code: 'START_TIMEOUT',
      message: expect.stringMatching(
        /^Plugin "fixture-never-handshake": The plugin connected but did not say HELLO within \d+ ms.*protocol\.md section 5\.2/,
      ),
    });
    await expect(
      start('hello-only', { startTimeoutMs: 800, runner: new ConnectedFirstRunner(true) }),
    ).rejects.toMatchObject({
      code: 'START_TIMEOUT',
      message: expect.stringMatching(/said HELLO but not READY within \d+ ms/),
    });
  }, 30_000);

  it('names a cookie mismatch and another core protocol, each with its own code', async () => {
    await expect(start('wrong-cookie')).rejects.toMatchObject({ code: 'COOKIE_MISMATCH' });
    await expect(start('other-core')).rejects.toMatchObject({
      code: 'CORE_VERSION_MISMATCH',
      message: expect.stringContaining('Rebuild the plugin'),
    });
  });

  it('fails with NO_COMMON_VERSION listing both sides', async () => {
    await expect(start('well-behaved', { versions: [3, 4] })).rejects.toMatchObject({
      code: 'NO_COMMON_VERSION',
      message: expect.stringMatching(/1[\s\S]*3, 4|3, 4[\s\S]*1/),
    });
  });

  it('escalates to SIGTERM and SIGKILL when the plugin ignores the stop request', async () => {
    const client = await start('ignore-stop', { stopGraceMs: 200 });
    const started = Date.now();
    const status = await client.stop();
    expect(status.signal).toBe('SIGKILL');
    // Two graces of 200 ms, not the default's: a generous bound (a loaded machine is slow), not a figure.
    expect(Date.now() - started).toBeLessThan(2 * DEFAULT_STOP_GRACE_MS);
  });

  it('kills the plugin’s grandchildren when it stops', async () => {
    const client = await start('well-behaved');
    const grandchild = await client.dispense(fixture).grandchild();
    expect(isRunning(grandchild)).toBe(true);
    await client.stop();
    await waitFor(() => !isRunning(grandchild), { what: `the grandchild ${grandchild} to be gone` });
  });

  it('mirrors stdout and stderr lines prefixed with the plugin name, and a flood does not block the host', async () => {
    const out = collector();
    const client = await start('stderr-flood', { runner: new NodeRunner({ output: out.writer }) });
    const line = `[fixture-stderr-flood] ${'x'.repeat(200)}`;
    await waitFor(() => out.text().includes(line), { what: 'the flood to be mirrored' });
    // The flood goes on (the fixture never stops); the host still answers a call meanwhile.
    expect(await client.dispense(fixture).add(20, 22)).toBe(42);
  });

  it('records every call to the plugin as an RPC trace while the log store traces, and none after', async () => {
    const store = new LogStore({ tracing: true });
    const client = await start('well-behaved', { logStore: store });
    const remote = client.dispense(fixture);
    expect(await remote.add(1, 2)).toBe(3);
    const traced = store.query({ extension: client.name, scope: 'rpc' }).records;
    expect(traced).toHaveLength(1);
    expect(traced[0]!.message).toContain('fixture.add');
    store.tracing = false;
    await remote.add(3, 4);
    expect(store.query({ extension: client.name, scope: 'rpc' }).records).toHaveLength(1);
  });

  it('stopAllClients stops every running client (go-plugin CleanupClients)', async () => {
    const a = await start('well-behaved');
    const b = await start('well-behaved');
    await stopAllClients();
    expect([a.state, b.state]).toEqual(['exited', 'exited']);
  });

  it('stays responsive to other plugins while one plugin hangs its event loop', async () => {
    const hung = await start('well-behaved', { stopGraceMs: 200 });
    const healthy = await start('well-behaved');
    const stuck = hung.dispense(fixture);
    void stuck.hang().catch(() => undefined);
    // The plugin takes calls in order, so a call after hang() is never answered: proof that it hangs.
    await expect(withCallOptions(stuck, { timeout: 300 }).add(1, 2)).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect(await healthy.dispense(fixture).add(1, 2)).toBe(3);
    const status = await hung.stop();
    expect(status.signal).not.toBeNull();
  });
});
