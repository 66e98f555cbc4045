// Issue 10: a plugin can never crash, starve or fool the host. Real plugin processes, some of them writing
// the wire by hand (test-fixtures/hostile-plugin.ts); the host is this test process, so an uncaught
// exception or unhandled rejection here fails the run.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { implement, proxy } from '@tether/sdk';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { NodeRunner } from '../runner/node-runner.js';
import { FIXTURE_START_TIMEOUT_MS, TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { LogStore } from '../logging/log-store.js';
import { PluginClient, type PluginCrash, type PluginExit } from './plugin-client.js';
import type { PluginClientOptions } from './plugin-client-options.js';
import { isRunning } from './test-fixtures/is-running.js';
import {
  OVERSIZE_LIMIT,
  fixture,
  fixtureHandshake,
  hostHelper,
  hostSizes,
  oversize,
} from './test-fixtures/contract.js';

const misbehaving = fileURLToPath(new URL('./test-fixtures/misbehaving-plugin.ts', import.meta.url));
const hostile = fileURLToPath(new URL('./test-fixtures/hostile-plugin.ts', import.meta.url));
const MiB = 1024 * 1024;

const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

async function start(
  entry: string,
  mode: string,
  options: Partial<PluginClientOptions> = {},
): Promise<{ client: PluginClient; crashes: PluginCrash[]; exits: PluginExit[] }> {
  const client = await PluginClient.start({
    spec: {
      name: `hardening-${mode}`,
      entry,
      args: [mode],
      nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
    },
    handshake: fixtureHandshake,
    runner: new NodeRunner({ output: null }),
    logStore: new LogStore(),
    startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    ...options,
  });
  clients.push(client);
  const crashes: PluginCrash[] = [];
  const exits: PluginExit[] = [];
  client.onDidCrash((crash) => crashes.push(crash));
  client.onDidExit((exit) => exits.push(exit));
  return { client, crashes, exits };
}

/** Polls until `condition` holds (no fixed sleep), failing with `what` after a generous deadline. */
async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(condition, { what, timeoutMs, intervalMs: 10 });
}

describe('issue-10 point 1: values over the message limit, both directions, across processes', () => {
  it('fail only their own call, event or stream; both processes and every other call live on', async () => {
    const { client, crashes } = await start(misbehaving, 'oversized', {
      mux: { maxMessageSize: OVERSIZE_LIMIT },
      hostServices: [
        implement(hostSizes, {
          make: (size) => new Uint8Array(size),
          take: (bytes) => bytes.byteLength,
          note: () => undefined,
        }),
        implement(hostHelper, { triple: (n) => n * 3 }),
      ],
    });
    const remote = client.dispense(oversize);
    const BIG = OVERSIZE_LIMIT + 1;
    // host → plugin: arguments (a rejected promise, never a throw), a result, a stream item.
    let call: Promise<number> | undefined;
    expect(() => (call = remote.take(new Uint8Array(BIG)))).not.toThrow();
    await expect(call).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    const [result, inFlight] = await Promise.allSettled([
      remote.make(BIG),
      client.dispense(fixture).add(2, 2),
    ]);
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'MESSAGE_TOO_LARGE' } });
    expect(inFlight).toEqual({ status: 'fulfilled', value: 4 });
    const items: number[] = [];
    await expect(
      (async () => {
        for await (const item of await remote.items([3, BIG, 4])) items.push(item.byteLength);
      })(),
    ).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    expect(items).toEqual([3]);
    // plugin → host: a host service's result, its arguments, a notification, a callback's result.
    expect(await remote.hostMake(BIG)).toBe('MESSAGE_TOO_LARGE');
    expect(await remote.hostTake(BIG)).toBe('MESSAGE_TOO_LARGE');
    expect(await remote.hostNote(BIG)).toBe('MESSAGE_TOO_LARGE');
    const callback = proxy((size: number) => new Uint8Array(size));
    expect(await remote.callBack(callback, BIG)).toBe('MESSAGE_TOO_LARGE');
    expect(await remote.callBack(callback, 5)).toBe('got 5');
    // An event: dropped and reported on the plugin's side; the next one arrives.
    const events: number[] = [];
    remote.onDidSend((bytes) => events.push(bytes.byteLength));
    expect(await remote.emit(BIG)).toBe('MESSAGE_TOO_LARGE');
    expect(await remote.emit(6)).toBe('ok');
    await until(() => events.length > 0, 'the small event');
    expect(events).toEqual([6]);
    // Nothing pending, nothing crashed, both sides still talk.
    expect(await remote.hostMake(10)).toBe('ok');
    expect(await client.dispense(fixture).callHost(5)).toBe(15);
    expect(client.peer.stats().pendingCalls).toBe(0);
    expect(client.state).toBe('running');
    expect(crashes).toEqual([]);
  });
});

describe('issue-10 point 3: a protocol violation is diagnosed and contained', () => {
  it('an oversized frame: failed at once, onDidCrash with the violation, group killed, calls say why', async () => {
    const { client, crashes, exits } = await start(hostile, 'oversize-frame');
    const states: string[] = [];
    client.onDidChangeState((state) => states.push(state));
    const pid = client.pid;
    // The plugin answers nothing; the call reaching it sets off the attack.
    const pending = client.dispense(fixture).add(1, 2);
    const error = (await pending.catch((e: unknown) => e)) as Error & { code: string; stderrTail: unknown };
    expect(error.code).toBe('PROTOCOL_VIOLATION');
    expect(error.message).toMatch(
      /^Plugin "hardening-oversize-frame" broke the Tether protocol while fixture\.add was pending: .*300000 bytes .*over the maxFrameSize of 262144 bytes/,
    );
    expect(error.message).toContain('killed its process group');
    expect(Array.isArray(error.stderrTail)).toBe(true);
    expect(client.state).toBe('failed');
    expect(states).toEqual(['failed']);
    expect(crashes).toHaveLength(1);
    expect(crashes[0]!.cause).toMatchObject({ code: 'PROTOCOL_VIOLATION' });
    // It ignores SIGTERM and never sees a STOP: only the SIGKILL of its group ends it.
    await until(() => exits.length > 0, 'the plugin to be killed');
    expect(exits[0]).toMatchObject({ signal: 'SIGKILL', expected: false });
    expect(isRunning(pid)).toBe(false);
    expect(crashes).toHaveLength(1);
    expect(client.state).toBe('failed');
    await expect(client.dispense(fixture).add(3, 4)).rejects.toMatchObject({ code: 'PROTOCOL_VIOLATION' });
  });

  it('closing the connection and lingering: failed after the grace, group killed, CONNECTION_CLOSED', async () => {
    const { client, crashes, exits } = await start(hostile, 'close-and-linger');
    const pending = client.dispense(fixture).add(1, 2);
    await expect(pending).rejects.toMatchObject({ code: 'PLUGIN_EXITED' });
    await until(() => crashes.length > 0, 'the host to give up on the lingering plugin');
    expect(client.state).toBe('failed');
    expect(crashes[0]!.cause).toMatchObject({
      code: 'CONNECTION_CLOSED',
      message: expect.stringContaining(
        'but was still running 2000 ms later; the host killed its process group',
      ),
    });
    await until(() => exits.length > 0, 'the plugin to be killed');
    expect(exits[0]).toMatchObject({ signal: 'SIGKILL', expected: false });
    await expect(client.dispense(fixture).add(3, 4)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});

describe('issue-10 point 2: a memory budget per session', () => {
  it('8 channels of unfinished 48 MiB messages: the session closes at the budget, host RSS grows < 2x it', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const { client, crashes, exits } = await start(hostile, 'partial-flood');
      void client
        .dispense(fixture)
        .add(1, 2)
        .catch(() => undefined); // sets off the flood
      await until(() => crashes.length > 0, 'the session to close at the budget', 60_000);
      expect(crashes[0]!.cause).toMatchObject({
        code: 'PROTOCOL_VIOLATION',
        message: expect.stringContaining("over the session's maxReassemblyBytes budget of 134217728 bytes"),
      });
      await until(() => exits.length > 0, 'the plugin to be killed');
    } finally {
      clearInterval(sampler);
    }
    const growth = (peak - before) / MiB;
    process.stdout.write(
      `partial-flood: host RSS ${Math.round(before / MiB)} MiB -> peak +${growth.toFixed(0)} MiB (budget 128 MiB)\n`,
    );
    expect(growth).toBeLessThan(256);
  }, 90_000);
});

describe('issue-10 point 5: only the launched process can become the plugin', () => {
  it('a same-user process that connects first without the secret is refused and audited; the plugin still connects', async () => {
    const store = new LogStore();
    const { client } = await start(misbehaving, 'impostor-first', {
      logStore: store,
      hostServices: [implement(hostHelper, { triple: (n) => n * 3 })],
    });
    expect(await client.dispense(fixture).callHost(2)).toBe(6);
    const messages = store
      .query({ extension: 'hardening-impostor-first' })
      .records.map((r) => `${r.scope}: ${r.message}`);
    const audit = messages.find((m) => m.startsWith('tether.audit: Refused connection 1'));
    expect(audit).toMatch(/says it is pid 1 .*without the right per-launch secret/);
    // Before it was refused, its call to a host service found nothing: host services wait for the proof.
    await until(
      () =>
        store
          .query({ extension: 'hardening-impostor-first' })
          .records.some((r) => r.message.startsWith('impostor:')),
      "the impostor's report",
    );
    expect(store.query({ extension: 'hardening-impostor-first' }).records.map((r) => r.message)).toContain(
      'impostor: refused with AUTH_FAILED (host service call: SERVICE_NOT_FOUND)',
    );
  });
});
