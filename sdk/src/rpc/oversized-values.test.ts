// Issue 10, point 1: a value over the message limit fails that one call (or event, or stream), in either
// direction, and nothing else: no synchronous throw, nothing left pending, no unhandled rejection.
// The same across real processes: extension-host/src/client/oversized-values.process.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter, type Event } from '../common/event.js';
import { MuxSession } from '../mux/mux-session.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { createLoopbackPeers } from './loopback-peers.js';
import { RpcPeer } from './rpc-peer.js';
import { proxy, type ProxyMarked } from './proxy-marker.js';
import { defineService } from './service.js';

const LIMIT = 64 * 1024;
const BIG = LIMIT + 1;

interface Sizes {
  take(bytes: Uint8Array): number;
  make(size: number): Uint8Array;
  fail(size: number): void;
  callBack(callback: ProxyMarked<(size: number) => Uint8Array>, size: number): Promise<string>;
  items(sizes: number[]): AsyncIterable<Uint8Array>;
  note(bytes: Uint8Array): void;
  emit(size: number): void;
  add(a: number, b: number): number;
  onDidSend: Event<Uint8Array>;
}

const sizes = defineService<Sizes>()('test.sizes', {
  methods: {
    take: {},
    make: {},
    fail: {},
    callBack: {},
    items: {},
    note: { notification: true },
    emit: {},
    add: {},
  },
  events: { onDidSend: true },
});

let pair: ReturnType<typeof createLoopbackPeers> | undefined;
afterEach(() => {
  pair?.dispose();
  pair = undefined;
});

function connect() {
  pair = createLoopbackPeers({ mux: { maxMessageSize: LIMIT } });
  const sent = new Emitter<Uint8Array>();
  const failures: Error[] = [];
  pair.plugin.onDidFail((error) => failures.push(error));
  const notes: number[] = [];
  pair.plugin.expose(sizes, {
    take: (bytes) => bytes.byteLength,
    make: (size) => new Uint8Array(size),
    fail(size) {
      throw new Error('x'.repeat(size));
    },
    async callBack(callback, size) {
      try {
        return `got ${(await (callback as unknown as (n: number) => Promise<Uint8Array>)(size)).byteLength}`;
      } catch (error) {
        return (error as { code: string }).code;
      }
    },
    async *items(list) {
      for (const size of list) yield await Promise.resolve(new Uint8Array(size));
    },
    note: (bytes) => void notes.push(bytes.byteLength),
    emit: (size) => sent.fire(new Uint8Array(size)),
    add: (a, b) => a + b,
    onDidSend: sent.event,
  });
  return { ...pair, remote: pair.host.remote(sizes), failures, notes };
}

async function expectHealthy(peer: RpcPeer, remote: ReturnType<typeof connect>['remote']) {
  expect(await remote.add(2, 3)).toBe(5);
  expect(peer.stats().pendingCalls).toBe(0);
  expect(peer.closed).toBe(false);
}

describe('values over maxMessageSize', () => {
  it('arguments: the call rejects with MESSAGE_TOO_LARGE (never a synchronous throw) and nothing stays pending', async () => {
    const { host, remote } = connect();
    let promise: Promise<number> | undefined;
    expect(() => (promise = remote.take(new Uint8Array(BIG)))).not.toThrow();
    await expect(promise).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      message: expect.stringMatching(/^The arguments of test\.sizes\.take could not be sent: .*65536 bytes/),
    });
    expect(await remote.take(new Uint8Array(LIMIT - 100))).toBe(LIMIT - 100);
    await expectHealthy(host, remote);
  });

  it('a result: the answering side sends an ERROR for that call; other calls in flight complete', async () => {
    const { host, remote } = connect();
    const [big, small] = await Promise.allSettled([remote.make(BIG), remote.add(1, 1)]);
    expect(big).toMatchObject({
      status: 'rejected',
      reason: {
        code: 'MESSAGE_TOO_LARGE',
        message: expect.stringContaining('The result of test.sizes.make'),
      },
    });
    expect(small).toEqual({ status: 'fulfilled', value: 2 });
    await expectHealthy(host, remote);
  });

  it('a thrown error too large to send becomes a MESSAGE_TOO_LARGE error for that call', async () => {
    const { host, remote } = connect();
    await expect(remote.fail(BIG)).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      message: expect.stringContaining('The error thrown by test.sizes.fail'),
    });
    await expectHealthy(host, remote);
  });

  it('a callback result: the side that runs the callback answers with an ERROR', async () => {
    const { host, remote } = connect();
    const callback = proxy((size: number) => new Uint8Array(size));
    expect(await remote.callBack(callback, BIG)).toBe('MESSAGE_TOO_LARGE');
    expect(await remote.callBack(callback, 10)).toBe('got 10');
    await expectHealthy(host, remote);
  });

  it('a notification rejects on the caller; the handler never runs', async () => {
    const { host, remote, notes } = connect();
    await expect(remote.note(new Uint8Array(BIG))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    await remote.note(new Uint8Array(7));
    await expectHealthy(host, remote);
    expect(notes).toEqual([7]);
  });

  it('an event payload is dropped and reported on the emitting side (onDidFail); later events arrive', async () => {
    const { host, remote, failures } = connect();
    const received: number[] = [];
    remote.onDidSend((bytes) => received.push(bytes.byteLength));
    await remote.emit(BIG);
    await remote.emit(3);
    await expect.poll(() => received).toEqual([3]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      message: expect.stringContaining('An event'),
    });
    await expectHealthy(host, remote);
  });

  it('a stream item fails the stream with MESSAGE_TOO_LARGE after the items before it', async () => {
    const { host, remote } = connect();
    const got: number[] = [];
    const consume = async () => {
      for await (const item of await remote.items([5, BIG, 6])) got.push(item.byteLength);
    };
    await expect(consume()).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    expect(got).toEqual([5]);
    await expectHealthy(host, remote);
  });
});

describe('a peer that ignores the receiver’s maxMessageSize', () => {
  it('is a protocol violation: the receiver closes the session with GOAWAY code 1 and says why', async () => {
    const [hostTransport, pluginTransport] = createMemoryTransportPair();
    const host = new RpcPeer(new MuxSession(hostTransport, { role: 'initiator', maxMessageSize: LIMIT }));
    const plugin = new RpcPeer(
      new MuxSession(pluginTransport, { role: 'acceptor', maxMessageSize: 4 * LIMIT }),
    );
    pair = { host, plugin, dispose: () => (host.dispose(), plugin.dispose()) };
    const bigMaker = defineService<{ make(size: number): Uint8Array }>()('test.maker', {
      methods: { make: {} },
    });
    plugin.expose(bigMaker, { make: (size) => new Uint8Array(size) });
    const closes: unknown[] = [];
    host.onDidClose((event) => closes.push(event.error));
    await expect(host.remote(bigMaker).make(BIG)).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
      cause: { code: 'PROTOCOL_ERROR', message: expect.stringContaining('maxMessageSize') },
    });
    expect(closes).toMatchObject([{ code: 'PROTOCOL_ERROR' }]);
    await expect.poll(() => plugin.closed).toBe(true);
  });
});
