// Issue 10, point 2: the bytes of half-received messages are bounded per session, not only per message.
import { afterEach, describe, expect, it } from 'vitest';
import { FramingError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import { readU32 } from './frame-decoder.js';
import { FrameFlag, FrameType, GoAwayCode } from './frame.js';
import type { MuxSession } from './mux-session.js';
import type { MuxCloseEvent } from './mux-types.js';
import { createRawPeer, record, until } from './test-fixtures/mux-harness.js';

const label = (s: string) => new TextEncoder().encode(s);
const KiB = 1024;

let sessions: MuxSession[] = [];
afterEach(() => {
  for (const s of sessions) s.dispose();
  sessions = [];
});

function setup() {
  // A budget of 64 KiB, messages of up to 48 KiB, frames of 4 KiB; every channel flows (has a listener).
  const peer = createRawPeer('acceptor', {
    maxFrameSize: 4 * KiB,
    maxMessageSize: 48 * KiB,
    maxReassemblyBytes: 64 * KiB,
  });
  sessions.push(peer.session);
  const closes: MuxCloseEvent[] = [];
  peer.session.onDidClose((event) => closes.push(event));
  const received: number[] = [];
  peer.session.onDidOpenChannel((channel) => channel.onDidReceive((m) => received.push(m.byteLength)));
  return { peer, closes, received };
}

/** `count` DATA frames of 4 KiB with MORE on channel `id`. */
function partials(id: number, count: number): [number, number, number, Uint8Array][] {
  return Array.from({ length: count }, () => [FrameType.Data, FrameFlag.More, id, new Uint8Array(4 * KiB)]);
}

describe('mux reassembly budget (maxReassemblyBytes)', () => {
  it('closes the session with a FramingError naming the budget when unfinished messages exceed it', async () => {
    const { peer, closes } = setup();
    // Four channels, each with 20 KiB of an unfinished message (each under maxMessageSize): 80 KiB > 64 KiB.
    for (const id of [1, 3, 5, 7]) peer.send([FrameType.Open, 0, id, label('rpc')]);
    for (const id of [1, 3, 5, 7]) peer.send(...partials(id, 5));
    await until(() => peer.session.closed);
    const error = closes[0]?.error;
    expect(error).toBeInstanceOf(FramingError);
    expect(error?.message).toMatch(/over the session's maxReassemblyBytes budget of 65536 bytes/);
    await until(() => peer.raw.closed);
    const goAway = peer.frames.find((f) => f.type === FrameType.GoAway);
    expect(readU32(goAway!.payload, 0)).toBe(GoAwayCode.ProtocolError);
  });

  it('gives the bytes back when a message completes or its channel closes, so the budget is reusable', async () => {
    const { peer, closes, received } = setup();
    peer.send([FrameType.Open, 0, 1, label('rpc')], [FrameType.Open, 0, 3, label('rpc')]);
    // Ten 40 KiB messages on channel 1 (400 KiB in all): each completes and gives its bytes back.
    for (let round = 0; round < 10; round++) {
      peer.send(...partials(1, 9), [FrameType.Data, 0, 1, new Uint8Array(4 * KiB)]);
    }
    await until(() => received.length === 10);
    expect(received.every((size) => size === 40 * KiB)).toBe(true);
    // 36 KiB unfinished on channel 3, then reset by the peer: its bytes are released.
    peer.send(...partials(3, 9), [FrameType.Reset, 0, 3, label('gave up')]);
    peer.send([FrameType.Open, 0, 5, label('rpc')], ...partials(5, 9), [
      FrameType.Data,
      0,
      5,
      new Uint8Array(4),
    ]);
    await until(() => received.length === 11);
    // 36 KiB on channel 1 and 36 KiB on channel 5 would be 72 KiB: the 36 KiB of channel 3 must not count.
    expect(received[10]).toBe(36 * KiB + 4);
    expect(closes).toEqual([]);
    expect(peer.session.closed).toBe(false);
  });
});

describe('MuxSession.abort', () => {
  it('sends GOAWAY code 1 after queued frames, closes every channel and the session with the error', async () => {
    const peer = createRawPeer('acceptor');
    sessions.push(peer.session);
    const closes: MuxCloseEvent[] = [];
    peer.session.onDidClose((event) => closes.push(event));
    const channel = record(peer.session.openChannel('own'));
    const error = new TetherError('PROTOCOL_ERROR', 'the peer sent a malformed CALL message');
    peer.session.abort(error);
    peer.session.abort(new TetherError('PROTOCOL_ERROR', 'a second abort is ignored'));
    expect(closes).toEqual([{ error }]);
    expect(channel.closeError).toBe(error);
    await until(() => peer.raw.closed);
    const types = peer.frames.map((f) => f.type);
    expect(types.indexOf(FrameType.Open)).toBeLessThan(types.indexOf(FrameType.GoAway));
    const goAway = peer.frames.at(-1)!;
    expect(goAway.type).toBe(FrameType.GoAway);
    expect(readU32(goAway.payload, 0)).toBe(GoAwayCode.ProtocolError);
    expect(new TextDecoder().decode(goAway.payload.subarray(4))).toBe(error.message);
  });
});
