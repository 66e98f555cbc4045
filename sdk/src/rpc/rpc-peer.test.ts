// Unit tests of the RPC peer in one process (loopback transport). The same behaviours across a real
// process boundary are in rpc-process.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter, type Event } from '../common/event.js';
import { MuxSession } from '../mux/mux-session.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { waitFor } from '../test-support/wait-for.js';
import { createLoopbackPeers } from './loopback-peers.js';
import { RpcPeer } from './rpc-peer.js';
import { proxy } from './proxy-marker.js';
import { releaseRemote } from './remote-factory.js';
import { defineService } from './service.js';
import { exposeCalculator } from './test-fixtures/calculator-impl.js';
import { calculator } from './test-fixtures/contract.js';

let pair: ReturnType<typeof createLoopbackPeers> | undefined;
afterEach(() => {
  pair?.dispose();
  pair = undefined;
});

function connect(options?: Parameters<typeof createLoopbackPeers>[0]) {
  pair = createLoopbackPeers(options);
  exposeCalculator(pair.plugin);
  return { ...pair, calc: pair.host.remote(calculator) };
}

describe('RpcPeer', () => {
  it('calls a declared method and answers SERVICE_NOT_FOUND for an unknown service', async () => {
    const { host, calc } = connect();
    expect(await calc.add(40, 2)).toBe(42);
    const missing = defineService<{ hello(): Promise<void> }>()('nope', { methods: { hello: {} } });
    await expect(host.remote(missing).hello()).rejects.toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      message: expect.stringContaining('test.calculator'),
    });
  });

  it('refuses to expose an implementation that lacks a declared method', () => {
    const { host } = connect();
    const service = defineService<{ a(): void; b(): void }>()('partial', { methods: { a: {}, b: {} } });
    expect(() => host.expose(service, { a() {} } as never)).toThrow(/has no method "b"/);
  });

  it('rejects calls beyond maxPendingCalls with TOO_MANY_PENDING_CALLS, and the others still complete', async () => {
    const { calc } = connect({ rpc: { maxPendingCalls: 3 } });
    const first = [calc.slow(30), calc.slow(30), calc.slow(30)];
    await expect(calc.add(1, 1)).rejects.toMatchObject({ code: 'TOO_MANY_PENDING_CALLS' });
    expect(await Promise.all(first)).toEqual(['finished', 'finished', 'finished']);
    expect(await calc.add(1, 1)).toBe(2);
  });

  it('applies the default timeout and per-method timeouts', async () => {
    pair = createLoopbackPeers({ rpc: { timeout: 1000 } });
    const slowService = defineService<{
      wait(hang: boolean): Promise<void>;
      quick(): Promise<void>;
    }>()('slow', {
      methods: { wait: {}, quick: { timeout: 20 } },
    });
    const never = new Promise<void>(() => {});
    pair.plugin.expose(slowService, {
      wait: (hang) => (hang ? never : Promise.resolve()),
      quick: () => never,
    });
    const remote = pair.host.remote(slowService);
    // No handler settles: only the timeouts end these calls. Timers fire in deadline order, so the per-method
    // 20 ms one ends `quick` first, however loaded the machine, while the default 1000 ms one still runs.
    let waitSettled = false;
    const waiting = remote.wait(true).finally(() => (waitSettled = true));
    await expect(remote.quick()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(waitSettled).toBe(false);
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT', name: 'RpcTimeoutError' });
    await expect(remote.wait(false)).resolves.toBeUndefined();
  });

  it('does not send a call whose signal is already aborted', async () => {
    const { calc } = connect();
    await expect(calc.slow(10, AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('forwards events only while someone listens, and stops forwarding on unsubscribe', async () => {
    pair = createLoopbackPeers();
    interface Clock {
      onDidTick: Event<number>;
      start(): Promise<void>;
    }
    const emitter = new Emitter<number>();
    const clock = defineService<Clock>()('clock', { methods: { start: {} }, events: { onDidTick: true } });
    pair.plugin.expose(clock, { onDidTick: emitter.event, start: () => Promise.resolve() });
    const remote = pair.host.remote(clock);
    const seen: number[] = [];
    const a = remote.onDidTick((n) => seen.push(n));
    const b = remote.onDidTick((n) => seen.push(n * 100));
    await remote.start();
    expect(emitter.hasListeners).toBe(true);
    emitter.fire(1);
    await waitFor(() => seen.length === 2, { what: 'both listeners to see the event' });
    expect(seen).toEqual([1, 100]);
    a.dispose();
    b.dispose();
    await remote.start();
    expect(emitter.hasListeners).toBe(false);
    expect(pair.host.stats().eventSubscriptions).toBe(0);
  });

  it('releases references by count: a release racing a re-send keeps the reference alive', async () => {
    const { host, plugin, calc } = connect();
    const callback = proxy((n: number) => n + 1);
    await calc.callBack(callback, 1);
    await calc.callBack(callback, 1);
    expect(host.stats().exportedReferences).toBeLessThanOrEqual(1);
    const counter = await calc.makeCounter(1);
    expect(plugin.stats().exportedReferences).toBe(1);
    releaseRemote(counter);
    await waitFor(() => plugin.stats().exportedReferences === 0, { what: 'the plugin to drop the counter' });
    expect(host.stats().importedReferences).toBe(0);
  });

  it('resets the stream channels of a message that fails to decode, so their producer stops', async () => {
    const [a, b] = createMemoryTransportPair();
    const host = new RpcPeer(new MuxSession(a, { role: 'initiator' }));
    const plugin = new RpcPeer(new MuxSession(b, { role: 'acceptor' }), { maxValueDepth: 1000 });
    try {
      const echo = defineService<{ echo(v: unknown): unknown }>()('echo', { methods: { echo: {} } });
      host.expose(echo, { echo: (v: unknown) => v });
      let stopped = false;
      async function* endless(): AsyncGenerator<Uint8Array> {
        try {
          for (;;) yield await Promise.resolve(new Uint8Array(1024));
        } finally {
          stopped = true;
        }
      }
      const nest = (n: number): unknown => (n === 0 ? 'bottom' : [nest(n - 1)]);
      // The stream is decoded (its channel claimed) before the too-deep value makes the message fail.
      await expect(plugin.remote(echo).echo([endless(), nest(600)])).rejects.toMatchObject({
        code: 'SERIALIZATION_ERROR',
      });
      await expect.poll(() => stopped, { timeout: 2000 }).toBe(true);
      expect(await plugin.remote(echo).echo('still up')).toBe('still up');
    } finally {
      host.dispose();
      plugin.dispose();
    }
  });

  it('fails only the one call whose value the other side cannot decode, and stays connected', async () => {
    const [a, b] = createMemoryTransportPair();
    // The host accepts 256 levels of nesting (the default); the plugin sends up to 1000.
    const host = new RpcPeer(new MuxSession(a, { role: 'initiator' }));
    const plugin = new RpcPeer(new MuxSession(b, { role: 'acceptor' }), { maxValueDepth: 1000 });
    try {
      const echo = defineService<{ echo(v: unknown): unknown; deep(): unknown }>()('echo', {
        methods: { echo: {}, deep: {} },
      });
      const nest = (n: number): unknown => (n === 0 ? 'bottom' : [nest(n - 1)]);
      const implementation = { echo: (v: unknown) => v, deep: () => nest(600) };
      plugin.expose(echo, implementation);
      host.expose(echo, implementation);
      // A RESULT the host cannot decode rejects that call on the host.
      await expect(host.remote(echo).deep()).rejects.toMatchObject({
        code: 'SERIALIZATION_ERROR',
        message: expect.stringContaining('could not be decoded'),
      });
      // A CALL the host cannot decode is answered with an ERROR.
      await expect(plugin.remote(echo).echo(nest(600))).rejects.toMatchObject({
        code: 'SERIALIZATION_ERROR',
      });
      expect(await host.remote(echo).echo([1, 2])).toEqual([1, 2]);
      expect(await plugin.remote(echo).echo('still up')).toBe('still up');
    } finally {
      host.dispose();
      plugin.dispose();
    }
  });

  it('rejects pending calls and aborts running handlers when the connection is disposed', async () => {
    const { host, calc } = connect();
    const pending = calc.slow(10_000, new AbortController().signal);
    await waitFor(() => pair!.plugin.stats().runningHandlers === 1, { what: 'the handler to start' });
    host.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(calc.add(1, 2)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(host.stats()).toEqual({
      pendingCalls: 0,
      unacknowledgedCalls: 0,
      runningHandlers: 0,
      exportedReferences: 0,
      importedReferences: 0,
      eventSubscriptions: 0,
      unclaimedChannels: 0,
    });
  });
});
