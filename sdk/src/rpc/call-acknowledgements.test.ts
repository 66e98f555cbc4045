// Call acknowledgements (protocol.md section 4.8) in one process: the ACK messages a peer sends (against a
// host written by hand, which sees every message), and how a peer that expects them tracks responsiveness
// (against a plugin written by hand, which acknowledges only what the test says).
import { afterEach, describe, expect, it } from 'vitest';
import { ValueCodec } from '../codec/index.js';
import { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel, MuxCloseEvent } from '../mux/mux-types.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { waitFor } from '../test-support/wait-for.js';
import { createLoopbackPeers } from './loopback-peers.js';
import { resolveRpcPeerOptions } from './rpc-options.js';
import { MessageKind, RPC_CHANNEL_LABEL } from './rpc-protocol.js';
import { RpcPeer } from './rpc-peer.js';
import { defineService } from './service.js';

interface Work {
  now(n: number): number;
  soon(n: number): Promise<number>;
  later(n: number): Promise<number>;
  note(n: number): Promise<void>;
}

const work = defineService<Work>()('test.work', {
  methods: { now: {}, soon: {}, later: {}, note: { notification: true } },
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const codec = new ValueCodec();
const until = (condition: () => boolean, what: string) => waitFor(condition, { what });

/** A peer serving `work`, called by a host written by hand that records every message it gets back. */
function plugin(options: { sendAcks: boolean }) {
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const peer = new RpcPeer(new MuxSession(pluginTransport, { role: 'acceptor' }), options);
  const gates: (() => void)[] = [];
  const gate = () => new Promise<void>((resolve) => gates.push(resolve));
  peer.expose(work, {
    now: (n) => n,
    soon: (n) => Promise.resolve(n),
    later: async (n) => {
      await gate();
      return n;
    },
    note: () => gate(),
  });
  const host = new MuxSession(hostTransport, { role: 'initiator' });
  host.onDidOpenChannel(() => undefined);
  cleanups.push(() => {
    peer.dispose();
    host.dispose();
  });
  const channel = host.openChannel(RPC_CHANNEL_LABEL);
  const received: unknown[] = [];
  channel.onDidReceive((bytes) => received.push(codec.decode(bytes)));
  const call = (id: number, method: keyof Work, n: number) =>
    channel.send(codec.encode([MessageKind.Call, id, work.name, method, [n]]));
  const releaseAll = () => {
    for (const release of gates.splice(0)) release();
  };
  return { peer, received, call, releaseAll, gates };
}

/** A peer that expects ACKs, calling a plugin written by hand that answers only what the test sends. */
async function host(unresponsiveMs: number) {
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const peer = new RpcPeer(new MuxSession(hostTransport, { role: 'initiator' }), {
    peerName: 'the hand-written plugin',
    expectAcks: true,
    unresponsiveMs,
  });
  const raw = new MuxSession(pluginTransport, { role: 'acceptor' });
  const calls: number[] = [];
  // Answers and ACKs go back on the channel the calls came in on: the host's `rpc` channel.
  let inbound: MuxChannel | undefined;
  raw.onDidOpenChannel((channel) => {
    inbound = channel;
    channel.onDidReceive((bytes) => {
      const message = codec.decode(bytes) as unknown[];
      if (message[0] === MessageKind.Call) calls.push(message[1] as number);
    });
  });
  raw.openChannel(RPC_CHANNEL_LABEL);
  const send = (message: unknown) => inbound!.send(codec.encode(message));
  const changes: boolean[] = [];
  peer.onDidChangeResponsiveness((responsive) => changes.push(responsive));
  const closes: MuxCloseEvent[] = [];
  peer.onDidClose((event) => closes.push(event));
  cleanups.push(() => {
    peer.dispose();
    raw.dispose();
  });
  await until(() => inbound !== undefined, "the host's rpc channel");
  return { peer, remote: peer.remote(work), calls, send, changes, closes };
}

describe('ACK messages a peer sends', () => {
  it('acknowledges only calls still unanswered when the event loop turns: a RESULT in the same turn means no ACK', async () => {
    const { received, call, releaseAll, gates } = plugin({ sendAcks: true });
    // One turn: a synchronous handler, one that resolves in a microtask, a notification that awaits, and two
    // calls that await. Only the last two are still running when the ACK goes, in one message.
    call(1, 'now', 10);
    call(2, 'soon', 20);
    call(0, 'note', 0);
    call(3, 'later', 30);
    call(4, 'later', 40);
    await until(() => received.length === 3, 'two answers and an ACK');
    expect(received).toEqual([
      [MessageKind.Result, 1, 10],
      [MessageKind.Result, 2, 20],
      [MessageKind.Ack, [3, 4]],
    ]);
    expect(gates).toHaveLength(3);
    releaseAll();
    await until(() => received.length === 5, 'the last two answers');
    expect(received.slice(3)).toEqual([
      [MessageKind.Result, 3, 30],
      [MessageKind.Result, 4, 40],
    ]);
  });

  it('acknowledges a call dispatched in a later turn in an ACK of its own', async () => {
    const { received, call, releaseAll } = plugin({ sendAcks: true });
    call(1, 'later', 1);
    await until(() => received.length === 1, 'the first ACK');
    call(2, 'later', 2);
    await until(() => received.length === 2, 'the second ACK');
    expect(received).toEqual([
      [MessageKind.Ack, [1]],
      [MessageKind.Ack, [2]],
    ]);
    releaseAll();
  });

  it('sends no ACK at all unless asked to (the behaviour of before, for peers that did not negotiate)', async () => {
    const { peer, received, call, releaseAll } = plugin({ sendAcks: false });
    call(1, 'later', 1);
    await until(() => peer.stats().runningHandlers === 1, 'the handler to start');
    // Turns have passed since the handler started: an ACK would have been sent before this answer.
    call(2, 'now', 2);
    await until(() => received.length === 1, 'the answer of now()');
    releaseAll();
    await until(() => received.length === 2, 'the answer of later()');
    expect(received).toEqual([
      [MessageKind.Result, 2, 2],
      [MessageKind.Result, 1, 1],
    ]);
  });
});

describe('a peer that expects ACKs', () => {
  it('is unresponsive once a call stays unacknowledged for unresponsiveMs, and responsive again at the next ACK', async () => {
    const { peer, remote, calls, send, changes } = await host(50);
    expect(peer.expectsAcks).toBe(true);
    const pending = remote.later(1);
    await until(() => !peer.responsive, 'the peer to be unresponsive');
    expect(changes).toEqual([false]);
    expect(peer.stats().unacknowledgedCalls).toBe(1);
    send([MessageKind.Ack, [calls[0]]]);
    await until(() => peer.responsive, 'the ACK to arrive');
    expect(changes).toEqual([false, true]);
    expect(peer.stats().unacknowledgedCalls).toBe(0);
    send([MessageKind.Result, calls[0], 7]);
    expect(await pending).toBe(7);
  });

  it('counts an answer as an acknowledgement, and ignores ACKs for calls unknown or finished', async () => {
    const { peer, remote, calls, send, changes } = await host(50);
    const pending = remote.later(1);
    await until(() => calls.length === 1, 'the call to arrive');
    send([MessageKind.Result, calls[0], 1]);
    expect(await pending).toBe(1);
    expect(peer.stats().unacknowledgedCalls).toBe(0);
    send([MessageKind.Ack, [calls[0], 424242]]); // crossed the answer, and made up
    expect(await peer.ping()).toBeGreaterThanOrEqual(0); // the ACK was processed before the PING's reply
    expect(peer.closed).toBe(false);
    expect(peer.stats().unacknowledgedCalls).toBe(0);
    expect(changes).toEqual([]);
  });

  it('keeps counting a call given up on (timeout) until its late answer', async () => {
    const { peer, calls, send, changes } = await host(50);
    const slow = defineService<{ later(n: number): Promise<number> }>()('test.work', {
      methods: { later: { timeout: 1 } },
    });
    await expect(peer.remote(slow).later(1)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(peer.stats()).toMatchObject({ pendingCalls: 0, unacknowledgedCalls: 1 });
    await until(() => !peer.responsive, 'the peer to be unresponsive');
    await until(() => calls.length === 1, 'the call to arrive');
    send([MessageKind.Result, calls[0], 1]);
    await until(() => peer.responsive, 'the late answer to arrive');
    expect(changes).toEqual([false, true]);
    expect(peer.stats().unacknowledgedCalls).toBe(0);
  });

  it.each([
    ['not a list', [MessageKind.Ack, 3]],
    ['an empty list', [MessageKind.Ack, []]],
    ['call id 0 (notifications are never acknowledged)', [MessageKind.Ack, [0]]],
    ['a call id that is not an integer', [MessageKind.Ack, [1.5]]],
    ['a call id that is a string', [MessageKind.Ack, ['1']]],
  ])('closes the session on a malformed ACK: %s', async (_what, message) => {
    const { peer, send, closes } = await host(50);
    send(message);
    await until(() => closes.length > 0, 'the session to close');
    expect(closes[0]!.error).toMatchObject({
      code: 'PROTOCOL_ERROR',
      message: expect.stringContaining('malformed ACK'),
    });
    expect(peer.closed).toBe(true);
  });

  it('does not track calls sent before expectAcks()', async () => {
    const pair = createLoopbackPeers({ rpc: { unresponsiveMs: 20 } });
    cleanups.push(() => pair.dispose());
    let release = (): void => undefined;
    pair.plugin.expose(work, {
      now: (n) => n,
      soon: (n) => Promise.resolve(n),
      later: (n) => new Promise((resolve) => (release = () => resolve(n))),
      note: () => Promise.resolve(),
    });
    const remote = pair.host.remote(work);
    const before = remote.later(1);
    await until(() => pair.plugin.stats().runningHandlers === 1, 'the handler to start');
    pair.host.expectAcks();
    expect(pair.host.stats().unacknowledgedCalls).toBe(0);
    expect(pair.host.responsive).toBe(true);
    release();
    expect(await before).toBe(1);
    expect(pair.host.responsive).toBe(true);
  });

  it('validates its options', () => {
    expect(resolveRpcPeerOptions({})).toMatchObject({
      sendAcks: false,
      expectAcks: false,
      unresponsiveMs: 3000,
    });
    for (const options of [
      { unresponsiveMs: 0 },
      { unresponsiveMs: 1.5 },
      { expectAcks: 'yes' },
      { sendAcks: 1 },
    ]) {
      expect(() => resolveRpcPeerOptions(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS' }),
      );
    }
  });
});
