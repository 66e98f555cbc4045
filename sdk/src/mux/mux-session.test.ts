import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelClosedError, ConnectionClosedError } from '../errors/errors.js';
import { isTetherError } from '../errors/tether-error.js';
import type { Transport, TransportCloseEvent } from '../transport/transport.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import type { Disposable } from '../common/disposable.js';
import { MuxSession } from './mux-session.js';
import type { MuxChannel, MuxCloseEvent } from './mux-types.js';
import {
  bytes,
  createSessionPair,
  record,
  tick,
  until,
  type SessionPair,
} from './test-fixtures/mux-harness.js';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

let pairs: SessionPair[] = [];
function pair(...args: Parameters<typeof createSessionPair>): SessionPair {
  const p = createSessionPair(...args);
  pairs.push(p);
  return p;
}
afterEach(() => {
  for (const p of pairs) {
    p.host.dispose();
    p.plugin.dispose();
  }
  pairs = [];
});

describe('MuxSession: opening and closing channels', () => {
  it('opens a channel from the initiator; the acceptor sees it with its label and both sides talk', async () => {
    const { host, plugin, pluginAccepted } = pair();
    const channel = host.openChannel('rpc');
    expect(channel.id).toBe(1);
    expect(channel.isLocal).toBe(true);
    expect(channel.label).toBe('rpc');
    channel.send(text('hello'));
    await until(() => pluginAccepted.length === 1);
    const remote = pluginAccepted[0]!;
    expect(remote.id).toBe(1);
    expect(remote.isLocal).toBe(false);
    expect(remote.label).toBe('rpc');
    const received = record(remote);
    const back = record(channel);
    remote.send(text('world'));
    await until(() => received.messages.length === 1 && back.messages.length === 1);
    expect(str(received.messages[0]!)).toBe('hello');
    expect(str(back.messages[0]!)).toBe('world');
    expect(host.channelCount).toBe(1);
    expect(plugin.channelCount).toBe(1);
  });

  it('delivers DATA sent right after OPEN to a listener attached in onDidOpenChannel (no round trip)', async () => {
    const { host, plugin } = pair();
    const seen: string[] = [];
    plugin.onDidOpenChannel((channel) => channel.onDidReceive((m) => seen.push(str(m))));
    const channel = host.openChannel('x');
    channel.send(text('a'));
    channel.send(text('b'));
    await until(() => seen.length === 2);
    expect(seen).toEqual(['a', 'b']);
  });

  it('opens channels from the acceptor with even ids; each side is strictly increasing and never reuses ids', async () => {
    const { host, plugin, hostAccepted, pluginAccepted } = pair();
    const hostIds: number[] = [];
    const pluginIds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = host.openChannel(`h${i}`);
      const b = plugin.openChannel(`p${i}`);
      hostIds.push(a.id);
      pluginIds.push(b.id);
      a.reset();
      b.reset();
    }
    hostIds.push(host.openChannel('again').id);
    pluginIds.push(plugin.openChannel('again').id);
    expect(hostIds).toEqual([1, 3, 5, 7]);
    expect(pluginIds).toEqual([2, 4, 6, 8]);
    await until(() => hostAccepted.length === 4 && pluginAccepted.length === 4);
    expect(hostAccepted.map((c) => c.id)).toEqual([2, 4, 6, 8]);
    expect(pluginAccepted.map((c) => c.id)).toEqual([1, 3, 5, 7]);
  });

  it('closes a channel once both sides have ended it (END half-close)', async () => {
    const { host, plugin, pluginAccepted } = pair();
    const channel = host.openChannel('half');
    const local = record(channel);
    channel.send(text('request'));
    channel.end();
    channel.end(); // idempotent
    expect(channel.writable).toBe(false);
    expect(() => channel.send(text('more'))).toThrow(ChannelClosedError);
    try {
      channel.send(text('more'));
    } catch (error) {
      expect(isTetherError(error, 'CHANNEL_CLOSED')).toBe(true);
      expect((error as Error).message).toMatch(/already ended it with end\(\)/);
    }
    await until(() => pluginAccepted.length === 1);
    const remote = pluginAccepted[0]!;
    const peer = record(remote);
    await until(() => peer.ended);
    expect(peer.messages.map(str)).toEqual(['request']);
    expect(remote.closed).toBe(false);
    expect(remote.writable).toBe(true);
    // The other direction still works after the peer's END.
    remote.send(text('response 1'));
    remote.send(text('response 2'));
    remote.end();
    await until(() => local.closed && peer.closed);
    expect(local.messages.map(str)).toEqual(['response 1', 'response 2']);
    expect(local.ended).toBe(true);
    expect(local.closeError).toBeUndefined();
    expect(peer.closeError).toBeUndefined();
    expect(channel.closed && remote.closed).toBe(true);
    expect(host.channelCount).toBe(0);
    expect(plugin.channelCount).toBe(0);
    expect(() => remote.send(text('x'))).toThrow(/it is closed/);
  });

  it('carries many channels at once, each in order', async () => {
    const { host, plugin } = pair();
    const results = new Map<string, string[]>();
    plugin.onDidOpenChannel((channel) => {
      const list: string[] = [];
      results.set(channel.label, list);
      channel.onDidReceive((m) => list.push(str(m)));
      channel.onDidEnd(() => channel.end());
    });
    const channels: MuxChannel[] = [];
    for (let i = 0; i < 200; i++) channels.push(host.openChannel(`c${i}`));
    for (let round = 0; round < 20; round++) {
      for (const channel of channels) channel.send(text(`${channel.label}:${round}`));
      if (round % 5 === 0) await tick();
    }
    for (const channel of channels) channel.end();
    await until(() => channels.every((c) => c.closed));
    expect(results.size).toBe(200);
    for (const [label, list] of results) {
      expect(list).toEqual(Array.from({ length: 20 }, (_, r) => `${label}:${r}`));
    }
    expect(host.channelCount).toBe(0);
    expect(plugin.channelCount).toBe(0);
  });

  it('fragments and reassembles messages of 0 bytes, 1 byte, exactly maxFrameSize and 5 MiB, in order', async () => {
    const maxFrameSize = 1024;
    const { host, pluginAccepted } = pair({ maxFrameSize });
    const sizes = [
      0,
      1,
      maxFrameSize - 1,
      maxFrameSize,
      maxFrameSize + 1,
      0,
      5 * 1024 * 1024,
      3 * maxFrameSize,
      7,
    ];
    const messages = sizes.map((size, i) => bytes(size, i + 1));
    const channel = host.openChannel('big');
    for (const message of messages) channel.send(message);
    channel.end();
    await until(() => pluginAccepted.length === 1);
    const received = record(pluginAccepted[0]!);
    await until(() => received.ended, 20_000);
    expect(received.messages.map((m) => m.byteLength)).toEqual(sizes);
    received.messages.forEach((m, i) => expect(Buffer.from(m).equals(Buffer.from(messages[i]!))).toBe(true));
  });

  it('fragments with the default frame size too', async () => {
    const { host, pluginAccepted } = pair();
    const channel = host.openChannel('big');
    const message = bytes(5 * 1024 * 1024 + 3, 9);
    channel.send(message);
    channel.send(new Uint8Array(0));
    await until(() => pluginAccepted.length === 1);
    const received = record(pluginAccepted[0]!);
    await until(() => received.messages.length === 2);
    expect(Buffer.from(received.messages[0]!).equals(Buffer.from(message))).toBe(true);
    expect(received.messages[1]!.byteLength).toBe(0);
  });
});

describe('MuxSession: reset', () => {
  it.each(['initiator', 'acceptor'] as const)(
    'a RESET from the %s aborts both directions with the reason',
    async (who) => {
      const { host, pluginAccepted } = pair();
      const channel = host.openChannel('r');
      channel.send(text('x'));
      await until(() => pluginAccepted.length === 1);
      const remote = pluginAccepted[0]!;
      const [resetter, other] = who === 'initiator' ? [channel, remote] : [remote, channel];
      const a = record(resetter);
      const b = record(other);
      resetter.reset('changed my mind');
      resetter.reset('again'); // idempotent
      expect(a.closed).toBe(true);
      expect(a.closeError).toBeInstanceOf(ChannelClosedError);
      expect((a.closeError as ChannelClosedError).code).toBe('CHANNEL_RESET');
      expect(a.closeError!.message).toMatch(/reset locally: changed my mind/);
      await until(() => b.closed);
      expect((b.closeError as ChannelClosedError).code).toBe('CHANNEL_RESET');
      expect(b.closeError!.message).toMatch(/The peer reset channel 1 \('r'\): changed my mind/);
      expect(() => other.send(text('y'))).toThrow(/it is closed/);
    },
  );

  it('drops messages that arrive after the local side reset the channel, and the session stays up', async () => {
    const { host, plugin, pluginAccepted } = pair();
    const channel = host.openChannel('r');
    channel.send(text('open'));
    await until(() => pluginAccepted.length === 1);
    const remote = pluginAccepted[0]!;
    const local = record(channel);
    // The peer sends while our RESET is in flight.
    for (let i = 0; i < 10; i++) remote.send(bytes(1000, i));
    channel.reset('bye');
    await until(() => remote.closed);
    // A round trip: the peer's messages were sent before its pong, so they have arrived (and been dropped).
    expect(await host.ping()).toBeGreaterThanOrEqual(0);
    expect(local.messages).toEqual([]);
    expect(host.closed || plugin.closed).toBe(false);
  });
});

describe('MuxSession: limits', () => {
  it('openChannel beyond maxChannels throws CHANNEL_LIMIT naming the option', () => {
    const { host } = pair({ maxChannels: 2 });
    host.openChannel('a');
    const b = host.openChannel('b');
    expect(() => host.openChannel('c')).toThrow(/maxChannels = 2.*raise the maxChannels option/);
    try {
      host.openChannel('c');
    } catch (error) {
      expect(isTetherError(error, 'CHANNEL_LIMIT')).toBe(true);
    }
    b.reset();
    expect(host.openChannel('c').id).toBe(5);
  });

  it('a peer OPEN beyond maxChannels is reset with "channel limit reached" and the session stays up', async () => {
    const { host, plugin, pluginAccepted } = pair({}, { maxChannels: 1 });
    const first = host.openChannel('first');
    const second = host.openChannel('second');
    second.send(text('dropped'));
    const secondState = record(second);
    await until(() => secondState.closed);
    expect((secondState.closeError as ChannelClosedError).code).toBe('CHANNEL_RESET');
    expect(secondState.closeError!.message).toMatch(/channel limit reached/);
    expect(pluginAccepted.map((c) => c.label)).toEqual(['first']);
    expect(plugin.closed).toBe(false);
    first.send(text('still works'));
    const received = record(pluginAccepted[0]!);
    await until(() => received.messages.length === 1);
    expect(await host.ping()).toBeGreaterThanOrEqual(0);
  });

  it('send of a message over maxMessageSize throws MESSAGE_TOO_LARGE synchronously', () => {
    const { host } = pair({ maxMessageSize: 100 });
    const channel = host.openChannel('m');
    expect(channel.send(new Uint8Array(100))).toBe(true);
    expect(() => channel.send(new Uint8Array(101))).toThrow(/101 bytes.*maxMessageSize = 100/);
    try {
      channel.send(new Uint8Array(101));
    } catch (error) {
      expect(isTetherError(error, 'MESSAGE_TOO_LARGE')).toBe(true);
    }
    expect(channel.writable).toBe(true);
  });

  it('a received message over maxMessageSize resets that channel only', async () => {
    const { host, plugin, pluginAccepted } = pair(
      { maxFrameSize: 1024 },
      { maxFrameSize: 1024, maxMessageSize: 4000 },
    );
    let remote!: ReturnType<typeof record>;
    plugin.onDidOpenChannel((c) => (remote = record(c)));
    const channel = host.openChannel('m');
    const local = record(channel);
    channel.send(bytes(4000));
    channel.send(bytes(4001));
    await until(() => pluginAccepted.length === 1);
    await until(() => remote.closed && local.closed);
    expect(remote.messages.map((m) => m.byteLength)).toEqual([4000]);
    expect(isTetherError(remote.closeError, 'MESSAGE_TOO_LARGE')).toBe(true);
    expect(remote.closeError!.message).toMatch(/maxMessageSize/);
    expect(isTetherError(local.closeError, 'CHANNEL_RESET')).toBe(true);
    expect(local.closeError!.message).toMatch(/maxMessageSize of 4000 bytes/);
    expect(plugin.closed).toBe(false);
    expect(await plugin.ping()).toBeGreaterThanOrEqual(0);
  });

  it('rejects a label over 255 UTF-8 bytes', () => {
    const { host } = pair();
    expect(() => host.openChannel('é'.repeat(128))).toThrow(/at most 255 bytes/);
    expect(host.openChannel('é'.repeat(127)).label).toHaveLength(127);
  });
});

describe('MuxSession: session close, GOAWAY, ping, loss', () => {
  it('close() sends GOAWAY after queued frames; the peer closes orderly and open channels close with CONNECTION_CLOSED', async () => {
    const { host, plugin, pluginAccepted, hostTransport, pluginTransport } = pair();
    const hostClosed: MuxCloseEvent[] = [];
    const pluginClosed: MuxCloseEvent[] = [];
    host.onDidClose((e) => hostClosed.push(e));
    plugin.onDidClose((e) => pluginClosed.push(e));
    const channel = host.openChannel('c');
    const local = record(channel);
    const seen: string[] = [];
    plugin.onDidOpenChannel((c) => c.onDidReceive((m) => seen.push(str(m))));
    channel.send(text('last words'));
    host.close('shutting down');
    host.close(); // idempotent
    expect(host.closed).toBe(true);
    expect(hostClosed).toEqual([{}]);
    expect(local.closed).toBe(true);
    expect(isTetherError(local.closeError, 'CONNECTION_CLOSED')).toBe(true);
    expect(local.closeError!.message).toMatch(/^The connection to the peer closed/);
    await until(() => plugin.closed);
    expect(seen).toEqual(['last words']);
    expect(pluginClosed).toEqual([{}]);
    const remote = pluginAccepted[0]!;
    expect(remote.closed).toBe(true);
    await until(() => hostTransport.closed && pluginTransport.closed);
    expect(() => host.openChannel('late')).toThrow(ConnectionClosedError);
  });

  it('ping() measures a round trip; pending pings reject when the session closes; ping after close rejects', async () => {
    const { host, plugin } = pair();
    const rtt = await host.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(await plugin.ping()).toBeGreaterThanOrEqual(0);
    const pending = host.ping();
    host.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(host.ping()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('transport loss closes the session and every channel with CONNECTION_CLOSED, promptly; nothing hangs', async () => {
    const { host, plugin, pluginAccepted, pluginTransport } = pair();
    const channels = [host.openChannel('a'), host.openChannel('b'), plugin.openChannel('c')];
    const states = channels.map(record);
    channels[0]!.send(bytes(3 * 1024 * 1024)); // more than the credit: some stays queued
    await until(() => pluginAccepted.length === 2);
    pluginAccepted[0]!.pause();
    const ping = host.ping();
    const closed: MuxCloseEvent[] = [];
    host.onDidClose((e) => closed.push(e));
    pluginTransport.dispose(); // the plugin process vanished
    await expect(ping).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await until(() => host.closed);
    expect(closed).toHaveLength(1);
    expect(isTetherError(closed[0]!.error, 'CONNECTION_CLOSED')).toBe(true);
    expect(closed[0]!.error!.message).toMatch(/^The connection to the peer closed/);
    for (const state of states.slice(0, 2)) {
      expect(state.closed).toBe(true);
      expect(isTetherError(state.closeError, 'CONNECTION_CLOSED')).toBe(true);
    }
    expect(channels[0]!.bufferedAmount).toBe(0);
    expect(() => channels[0]!.send(text('x'))).toThrow(ChannelClosedError);
    expect(host.channelCount).toBe(0);
  });

  it('a transport error is the cause of the CONNECTION_CLOSED error', () => {
    const transport = new FakeTransport();
    const session = new MuxSession(transport, { role: 'initiator' });
    const channel = record(session.openChannel('x'));
    const cause = new Error('EPIPE');
    transport.fireClose({ error: cause });
    expect(session.closed).toBe(true);
    expect(channel.closeError!.message).toMatch(/EPIPE/);
    expect((channel.closeError as ConnectionClosedError).cause).toBe(cause);
  });

  it('peer-opened channels are reset when nobody listens for them', async () => {
    const [a, b] = createMemoryTransportPair();
    const host = new MuxSession(a, { role: 'initiator' });
    const plugin = new MuxSession(b, { role: 'acceptor' });
    const channel = record(host.openChannel('nobody'));
    await until(() => channel.closed);
    expect(channel.closeError!.message).toMatch(/no listener/);
    expect(plugin.channelCount).toBe(0);
    host.dispose();
    plugin.dispose();
  });

  it('coalesces the frames of one tick into one transport write', async () => {
    const transport = new FakeTransport();
    const session = new MuxSession(transport, { role: 'initiator' });
    const channel = session.openChannel('x');
    for (let i = 0; i < 100; i++) channel.send(text(`m${i}`));
    channel.send(bytes(100_000));
    expect(transport.writes).toHaveLength(0);
    await Promise.resolve();
    expect(transport.writes).toHaveLength(1);
    // Small frames packed into one chunk; the big payload passed as its own chunk, uncopied.
    const chunks = transport.writes[0]!;
    expect(chunks.length).toBeLessThanOrEqual(3);
    session.dispose();
  });

  it('dispose() is idempotent and leaves no listeners or timers behind', async () => {
    // Fake timers count exactly the timers the session makes. (Counting the process's active timers failed
    // on a loaded machine: Vitest's own RPC timers come and go meanwhile.)
    vi.useFakeTimers();
    try {
      const transport = new FakeTransport();
      const session = new MuxSession(transport, { role: 'initiator' });
      const channel = session.openChannel('x');
      channel.onDidReceive(() => {});
      channel.onDidClose(() => {});
      session.onDidClose(() => {});
      const ping = session.ping().catch((error: unknown) => error);
      expect(transport.listenerCount).toBe(2);
      session.dispose();
      session.dispose();
      expect(transport.listenerCount).toBe(0);
      expect(transport.disposed).toBe(true);
      expect(channel.closed).toBe(true);
      expect(await ping).toBeInstanceOf(ConnectionClosedError);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('validates options', () => {
    const [a] = createMemoryTransportPair();
    expect(() => new MuxSession(a, { role: 'initiator', maxFrameSize: 10 })).toThrow(/maxFrameSize/);
    a.dispose();
  });
});

/** A transport that records writes and listener counts and lets the test close it. */
class FakeTransport implements Transport {
  readonly kind = 'fake';
  readonly writes: (readonly Uint8Array[])[] = [];
  closed = false;
  disposed = false;
  #receive = new Set<(chunk: Uint8Array) => void>();
  #close = new Set<(event: TransportCloseEvent) => void>();

  get listenerCount(): number {
    return this.#receive.size + this.#close.size;
  }

  readonly onDidReceive = (listener: (chunk: Uint8Array) => void): Disposable => {
    this.#receive.add(listener);
    return { dispose: () => this.#receive.delete(listener) };
  };

  readonly onDidClose = (listener: (event: TransportCloseEvent) => void): Disposable => {
    this.#close.add(listener);
    return { dispose: () => this.#close.delete(listener) };
  };

  write(chunks: readonly Uint8Array[]): boolean {
    this.writes.push(chunks);
    return true;
  }

  fireClose(event: TransportCloseEvent): void {
    this.closed = true;
    for (const listener of [...this.#close]) listener(event);
  }

  close(): void {
    this.fireClose({});
  }

  dispose(): void {
    this.disposed = true;
    this.fireClose({});
  }
}
