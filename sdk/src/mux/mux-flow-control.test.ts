import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_INITIAL_WINDOW } from '../constants.js';
import { readU32 } from './frame-decoder.js';
import { u32Bytes } from './frame-encoder.js';
import { FrameFlag, FrameType } from './frame.js';
import type { MuxChannelImpl } from './mux-channel.js';
import type { MuxSession } from './mux-session.js';
import type { MuxChannel } from './mux-types.js';
import { bytes, createRawPeer, createSessionPair, tick, until } from './test-fixtures/mux-harness.js';

const MiB = 1024 * 1024;
let sessions: MuxSession[] = [];
afterEach(() => {
  for (const s of sessions) s.dispose();
  sessions = [];
});

function windowFrames(
  frames: { type: number; channel: number; payload: Uint8Array }[],
  channel: number,
): number[] {
  return frames
    .filter((f) => f.type === FrameType.Window && f.channel === channel)
    .map((f) => readU32(f.payload, 0));
}

describe('flow control', () => {
  it('a paused receiver holds at most one window while the sender writes 50 MiB; resume drains it all in order', async () => {
    const window = MiB;
    const { host, plugin } = createSessionPair({ channelWindow: window });
    sessions.push(host, plugin);
    let remote!: MuxChannelImpl;
    const received: Uint8Array[] = [];
    plugin.onDidOpenChannel((channel) => {
      remote = channel as MuxChannelImpl;
      channel.pause();
      channel.onDidReceive((m) => received.push(m));
    });
    const channel = host.openChannel('bulk');
    const messageSize = 64 * 1024;
    const count = (50 * MiB) / messageSize;
    const results: boolean[] = [];
    for (let i = 0; i < count; i++) {
      const message = new Uint8Array(messageSize);
      new DataView(message.buffer).setUint32(0, i);
      results.push(channel.send(message));
    }
    expect(results[0]).toBe(true);
    expect(results.at(-1)).toBe(false);
    // Let the transport run for a while: the receiver's queue must stay within its window.
    let maxQueued = 0;
    await until(() => remote !== undefined);
    for (let i = 0; i < 50; i++) {
      await tick();
      maxQueued = Math.max(maxQueued, remote.receiveBufferedAmount);
      expect(remote.receiveBufferedAmount).toBeLessThanOrEqual(window);
    }
    expect(maxQueued).toBe(window);
    expect(received).toHaveLength(0);
    expect(channel.bufferedAmount).toBe(50 * MiB - window);

    let drained = 0;
    channel.onDidDrain(() => (drained += 1));
    remote.resume();
    await until(() => received.length === count, 20_000);
    received.forEach((m, i) => expect(new DataView(m.buffer, m.byteOffset).getUint32(0)).toBe(i));
    expect(channel.bufferedAmount).toBe(0);
    expect(drained).toBe(1);
    expect(remote.receiveBufferedAmount).toBe(0);
  });

  it('send returns false once bufferedAmount reaches the window and onDidDrain fires when it drops below', async () => {
    const { host, plugin } = createSessionPair({ channelWindow: PROTOCOL_INITIAL_WINDOW });
    sessions.push(host, plugin);
    let remote!: MuxChannel;
    plugin.onDidOpenChannel((channel) => {
      remote = channel;
      channel.pause();
      channel.onDidReceive(() => {});
    });
    const channel = host.openChannel('d');
    expect(channel.send(new Uint8Array(PROTOCOL_INITIAL_WINDOW))).toBe(true); // all sent on initial credit
    expect(channel.bufferedAmount).toBe(0);
    expect(channel.send(new Uint8Array(PROTOCOL_INITIAL_WINDOW - 1))).toBe(true);
    expect(channel.bufferedAmount).toBe(PROTOCOL_INITIAL_WINDOW - 1);
    expect(channel.send(new Uint8Array(1))).toBe(false);
    let drained = false;
    channel.onDidDrain(() => (drained = true));
    await until(() => remote !== undefined);
    await tick();
    expect(drained).toBe(false);
    remote.resume();
    await until(() => drained);
    expect(channel.bufferedAmount).toBeLessThan(PROTOCOL_INITIAL_WINDOW);
  });

  it('a flowing receiver with the minimum window moves 20 MiB (credit comes back as it consumes)', async () => {
    const { host, plugin } = createSessionPair({
      channelWindow: PROTOCOL_INITIAL_WINDOW,
      maxFrameSize: 16 * 1024,
    });
    sessions.push(host, plugin);
    let total = 0;
    let ended = false;
    plugin.onDidOpenChannel((channel) => {
      channel.onDidReceive((m) => (total += m.byteLength));
      channel.onDidEnd(() => (ended = true));
    });
    const channel = host.openChannel('flow');
    for (let i = 0; i < 20; i++) channel.send(bytes(MiB, i));
    channel.end();
    await until(() => ended, 20_000);
    expect(total).toBe(20 * MiB);
  });

  it('the opener grants the window above 64 KiB right after OPEN; the acceptor grants it on accepting', async () => {
    const peer = createRawPeer('initiator', { channelWindow: 3 * PROTOCOL_INITIAL_WINDOW });
    sessions.push(peer.session);
    peer.session.openChannel('mine');
    peer.send([FrameType.Open, 0, 2, new TextEncoder().encode('theirs')]);
    await until(() => peer.frames.length >= 3);
    expect(peer.frames.map((f) => [f.type, f.channel])).toEqual([
      [FrameType.Open, 1],
      [FrameType.Window, 1],
      [FrameType.Window, 2],
    ]);
    expect(windowFrames(peer.frames, 1)).toEqual([2 * PROTOCOL_INITIAL_WINDOW]);
    expect(windowFrames(peer.frames, 2)).toEqual([2 * PROTOCOL_INITIAL_WINDOW]);
  });

  it('a window of exactly 64 KiB sends no initial WINDOW', async () => {
    const peer = createRawPeer('initiator', { channelWindow: PROTOCOL_INITIAL_WINDOW });
    sessions.push(peer.session);
    peer.session.openChannel('mine');
    await until(() => peer.frames.length >= 1);
    await tick();
    expect(peer.frames.map((f) => f.type)).toEqual([FrameType.Open]);
  });

  it('a sender uses only the 64 KiB initial credit until the peer grants more', async () => {
    const peer = createRawPeer('initiator');
    sessions.push(peer.session);
    const channel = peer.session.openChannel('c');
    const message = bytes(100_000);
    expect(channel.send(message)).toBe(true);
    expect(channel.bufferedAmount).toBe(100_000 - PROTOCOL_INITIAL_WINDOW);
    await until(() => peer.frames.some((f) => f.type === FrameType.Data));
    await tick();
    const data = () => peer.frames.filter((f) => f.type === FrameType.Data);
    expect(data().reduce((n, f) => n + f.payload.byteLength, 0)).toBe(PROTOCOL_INITIAL_WINDOW);
    expect(data().every((f) => (f.flags & FrameFlag.More) !== 0)).toBe(true);
    peer.send([FrameType.Window, 0, 1, u32Bytes(10)]);
    await until(() => data().reduce((n, f) => n + f.payload.byteLength, 0) === PROTOCOL_INITIAL_WINDOW + 10);
    expect(channel.bufferedAmount).toBe(100_000 - PROTOCOL_INITIAL_WINDOW - 10);
    peer.send([FrameType.Window, 0, 1, u32Bytes(1_000_000)]);
    await until(() => channel.bufferedAmount === 0);
    await tick();
    const frames = data();
    expect(frames.at(-1)!.flags & FrameFlag.More).toBe(0);
    const joined = Buffer.concat(frames.map((f) => f.payload));
    expect(joined.equals(Buffer.from(message))).toBe(true);
  });

  it('returns credit in one WINDOW once half the window is consumed, not per message', async () => {
    const window = 256 * 1024;
    const peer = createRawPeer('acceptor', { channelWindow: window });
    sessions.push(peer.session);
    peer.session.onDidOpenChannel((channel) => channel.onDidReceive(() => {}));
    peer.send([FrameType.Open, 0, 1, new Uint8Array(0)]);
    await until(() => windowFrames(peer.frames, 1).length === 1);
    expect(windowFrames(peer.frames, 1)).toEqual([window - PROTOCOL_INITIAL_WINDOW]);
    // 127 KiB of small messages: below half the window, so no credit is returned yet.
    for (let i = 0; i < 127; i++) peer.send([FrameType.Data, 0, 1, new Uint8Array(1024)]);
    await tick();
    await tick();
    expect(windowFrames(peer.frames, 1)).toHaveLength(1);
    peer.send([FrameType.Data, 0, 1, new Uint8Array(1024)]);
    await until(() => windowFrames(peer.frames, 1).length === 2);
    expect(windowFrames(peer.frames, 1)[1]).toBe(window / 2);
    expect(peer.session.closed).toBe(false);
  });

  it('a paused channel returns no credit until resumed, and a half-received message holds its credit too', async () => {
    const window = PROTOCOL_INITIAL_WINDOW;
    const peer = createRawPeer('acceptor', { channelWindow: window, maxFrameSize: 8192 });
    sessions.push(peer.session);
    const got: number[] = [];
    let channel!: MuxChannelImpl;
    peer.session.onDidOpenChannel((c) => {
      channel = c as MuxChannelImpl;
      c.pause();
      c.onDidReceive((m) => got.push(m.byteLength));
    });
    peer.send([FrameType.Open, 0, 1]);
    for (let i = 0; i < 6; i++) peer.send([FrameType.Data, 0, 1, new Uint8Array(8192)]);
    peer.send([FrameType.Data, FrameFlag.More, 1, new Uint8Array(8192)]); // first half of a message
    await until(() => channel?.receiveBufferedAmount === 7 * 8192);
    await tick();
    expect(windowFrames(peer.frames, 1)).toEqual([]);
    expect(got).toEqual([]);
    channel.resume();
    await until(() => got.length === 6);
    await until(() => windowFrames(peer.frames, 1).length > 0);
    // Credit goes back in half-window batches: 32 KiB now, the other 24 KiB once more is consumed.
    expect(windowFrames(peer.frames, 1)).toEqual([window / 2]);
    peer.send([FrameType.Data, 0, 1, new Uint8Array(100)]);
    await until(() => got.length === 7);
    expect(got.at(-1)).toBe(8292);
  });

  it('delivers END only after the messages queued while paused', async () => {
    const { host, plugin } = createSessionPair();
    sessions.push(host, plugin);
    const events: string[] = [];
    let remote!: MuxChannel;
    plugin.onDidOpenChannel((c) => {
      remote = c;
      c.pause();
      c.onDidReceive((m) => events.push(`m${m[0]}`));
      c.onDidEnd(() => events.push('end'));
      c.onDidClose(() => events.push('close'));
    });
    const channel = host.openChannel('e');
    channel.send(new Uint8Array([1]));
    channel.send(new Uint8Array([2]));
    channel.end();
    await until(() => remote !== undefined);
    await tick();
    await tick();
    expect(events).toEqual([]);
    remote.resume();
    await until(() => events.length === 3);
    expect(events).toEqual(['m1', 'm2', 'end']);
    remote.end();
    await until(() => channel.closed);
    expect(events).toEqual(['m1', 'm2', 'end', 'close']);
  });

  it('end() with data waiting for credit sends END after all of it', async () => {
    const { host, plugin } = createSessionPair({ channelWindow: PROTOCOL_INITIAL_WINDOW });
    sessions.push(host, plugin);
    let total = 0;
    let totalAtEnd = -1;
    plugin.onDidOpenChannel((c) => {
      c.onDidReceive((m) => (total += m.byteLength));
      c.onDidEnd(() => (totalAtEnd = total));
    });
    const channel = host.openChannel('e');
    channel.send(bytes(5 * MiB));
    channel.end();
    expect(channel.writable).toBe(false);
    await until(() => totalAtEnd >= 0, 20_000);
    expect(totalAtEnd).toBe(5 * MiB);
  });

  it('holds messages while nobody listens and delivers them to a late listener', async () => {
    const { host, plugin } = createSessionPair();
    sessions.push(host, plugin);
    let remote!: MuxChannelImpl;
    plugin.onDidOpenChannel((c) => (remote = c as MuxChannelImpl));
    const channel = host.openChannel('late');
    channel.send(new Uint8Array([1]));
    channel.send(new Uint8Array([2]));
    await until(() => remote?.receiveBufferedAmount === 2);
    const got: number[] = [];
    remote.onDidReceive((m) => got.push(m[0]!));
    await until(() => got.length === 2);
    expect(got).toEqual([1, 2]);
  });
});
