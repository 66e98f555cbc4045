import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_HEADER_SIZE, PROTOCOL_INITIAL_WINDOW } from '../constants.js';
import { FramingError } from '../errors/errors.js';
import { isTetherError } from '../errors/tether-error.js';
import { readU32 } from './frame-decoder.js';
import { encodeFrame, u32Bytes } from './frame-encoder.js';
import { FrameFlag, FrameType, GoAwayCode } from './frame.js';
import type { MuxSession } from './mux-session.js';
import type { MuxCloseEvent } from './mux-types.js';
import { createRawPeer, record, tick, until, type RawPeer } from './test-fixtures/mux-harness.js';

const label = (s: string) => new TextEncoder().encode(s);
type RawFrame = [type: number, flags: number, channel: number, payload?: Uint8Array];

let sessions: MuxSession[] = [];
afterEach(() => {
  for (const s of sessions) s.dispose();
  sessions = [];
});

/** The session under test is the acceptor; the raw peer is the initiator (odd ids). */
function setup(options = {}): RawPeer & { closes: MuxCloseEvent[] } {
  const peer = createRawPeer('acceptor', { channelWindow: PROTOCOL_INITIAL_WINDOW, ...options });
  sessions.push(peer.session);
  const closes: MuxCloseEvent[] = [];
  peer.session.onDidClose((e) => closes.push(e));
  return Object.assign(peer, { closes });
}

async function expectViolation(
  prelude: (Uint8Array | RawFrame)[],
  bad: Uint8Array | RawFrame,
  message: RegExp,
) {
  const peer = setup({ maxFrameSize: 4096 });
  peer.send(...prelude);
  await until(() => peer.accepted.length > 0 || prelude.length === 0);
  const channels = peer.accepted.map(record);
  const ownChannel = record(peer.session.openChannel('own'));
  peer.send(bad, [FrameType.Data, 0, 1, new Uint8Array(1)]); // anything after the violation is ignored
  await until(() => peer.session.closed);
  expect(peer.closes).toHaveLength(1);
  const error = peer.closes[0]!.error;
  expect(error).toBeInstanceOf(FramingError);
  expect(isTetherError(error, 'FRAMING_ERROR')).toBe(true);
  expect(error!.message).toMatch(message);
  expect(error!.message).toMatch(/^Mux protocol violation: received/);
  // Every channel closes with the same error.
  for (const channel of [...channels, ownChannel]) {
    expect(channel.closed).toBe(true);
    expect(channel.closeError).toBe(error);
  }
  // GOAWAY code 1 with the reason goes out first, then the transport is closed.
  await until(() => peer.raw.closed);
  const goAway = peer.frames.find((f) => f.type === FrameType.GoAway);
  expect(goAway).toBeDefined();
  expect(readU32(goAway!.payload, 0)).toBe(GoAwayCode.ProtocolError);
  expect(new TextDecoder().decode(goAway!.payload.subarray(4))).toBe(error!.message);
  expect(peer.frames.at(-1)!.type).toBe(FrameType.GoAway);
  expect(peer.session.channelCount).toBe(0);
}

const open1: RawFrame = [FrameType.Open, 0, 1, label('one')];

describe('protocol violations close the session with one FramingError', () => {
  it('payload length over maxFrameSize (checked on the header alone)', async () => {
    const header = encodeFrame(FrameType.Data, 0, 1, new Uint8Array(4097)).subarray(0, FRAME_HEADER_SIZE);
    await expectViolation([open1], header, /4097 bytes on channel 1, over the maxFrameSize of 4096/);
  });

  it('length field set to 4 GiB', async () => {
    const frame = encodeFrame(FrameType.Data, 0, 1);
    new DataView(frame.buffer).setUint32(0, 0xffff_ffff);
    await expectViolation([open1], frame, /4294967295 bytes/);
  });

  it('unknown frame type', async () => {
    await expectViolation([open1], [0x08, 0, 1], /unknown type 0x08/);
  });

  it('OPEN with the wrong parity', async () => {
    await expectViolation(
      [open1],
      [FrameType.Open, 0, 4, label('even')],
      /OPEN for channel 4, but the initiator may only open odd ids/,
    );
  });

  it('OPEN with an id not greater than the previous one', async () => {
    await expectViolation(
      [[FrameType.Open, 0, 5, label('five')]],
      [FrameType.Open, 0, 3, label('three')],
      /OPEN for channel 3, not greater than channel 5/,
    );
  });

  it('OPEN reusing an id', async () => {
    await expectViolation([open1], [FrameType.Open, 0, 1, label('again')], /OPEN for channel 1, not greater/);
  });

  it('OPEN with a label over 255 bytes', async () => {
    await expectViolation([], [FrameType.Open, 0, 1, new Uint8Array(256)], /256-byte label/);
  });

  it('DATA beyond the granted credit', async () => {
    // The receiver is paused, so it returns no credit: the peer has exactly the initial 64 KiB.
    const peer = setup({ maxFrameSize: 4096 });
    peer.session.onDidOpenChannel((channel) => channel.pause());
    const frames: RawFrame[] = [
      open1,
      ...Array.from({ length: 15 }, (): RawFrame => [FrameType.Data, 0, 1, new Uint8Array(4096)]),
      [FrameType.Data, 0, 1, new Uint8Array(PROTOCOL_INITIAL_WINDOW - 10 - 15 * 4096)],
    ];
    peer.send(...frames);
    await until(() => peer.accepted.length === 1);
    await tick();
    expect(peer.session.closed).toBe(false);
    const channel = record(peer.accepted[0]!);
    peer.send([FrameType.Data, 0, 1, new Uint8Array(11)]);
    await until(() => peer.session.closed);
    expect(peer.closes[0]!.error).toBeInstanceOf(FramingError);
    expect(peer.closes[0]!.error!.message).toMatch(
      /11 bytes of DATA for channel 1, over the 10 bytes of credit granted/,
    );
    expect(channel.closeError).toBe(peer.closes[0]!.error);
  });

  it('WINDOW overflowing 2^32-1 total credit', async () => {
    await expectViolation(
      [open1],
      [FrameType.Window, 0, 1, u32Bytes(0xffff_ffff)],
      /WINDOW \+4294967295 for channel 1.*over the maximum/,
    );
  });

  it('PING on a channel other than 0', async () => {
    await expectViolation([open1], [FrameType.Ping, 0, 1, new Uint8Array(8)], /PING frame on channel 1/);
  });

  it('GOAWAY on a channel other than 0', async () => {
    await expectViolation([open1], [FrameType.GoAway, 0, 1, new Uint8Array(4)], /GOAWAY frame on channel 1/);
  });

  it.each([
    ['DATA', FrameType.Data],
    ['WINDOW', FrameType.Window],
    ['END', FrameType.End],
    ['RESET', FrameType.Reset],
    ['OPEN', FrameType.Open],
  ])('%s on channel 0', async (name, type) => {
    const payload = type === FrameType.Window ? new Uint8Array(4) : new Uint8Array(0);
    await expectViolation([open1], [type, 0, 0, payload], new RegExp(`${name} frame on channel 0`));
  });

  it('WINDOW payload that is not 4 bytes', async () => {
    await expectViolation(
      [open1],
      [FrameType.Window, 0, 1, new Uint8Array(8)],
      /WINDOW frame for channel 1 with a 8-byte payload/,
    );
  });

  it('PING payload that is not 8 bytes', async () => {
    await expectViolation([], [FrameType.Ping, 0, 0, new Uint8Array(4)], /PING frame with a 4-byte payload/);
  });

  it.each([
    ['DATA', FrameType.Data, new Uint8Array(1)],
    ['WINDOW', FrameType.Window, u32Bytes(1)],
    ['END', FrameType.End, new Uint8Array(0)],
    ['RESET', FrameType.Reset, new Uint8Array(0)],
  ])('%s for a channel the peer never opened', async (name, type, payload) => {
    await expectViolation(
      [open1],
      [type, 0, 7, payload],
      new RegExp(`${name} for channel 7, which was never opened`),
    );
  });

  it('DATA for an id of ours we never opened', async () => {
    await expectViolation(
      [open1],
      [FrameType.Data, 0, 4, new Uint8Array(1)],
      /DATA for channel 4, which was never opened/,
    );
  });

  it('DATA after the peer ended the channel', async () => {
    await expectViolation(
      [open1, [FrameType.End, 0, 1]],
      [FrameType.Data, 0, 1, new Uint8Array(1)],
      /DATA for channel 1 after the peer ended it/,
    );
  });

  it('END in the middle of a message', async () => {
    await expectViolation(
      [open1, [FrameType.Data, FrameFlag.More, 1, new Uint8Array(3)]],
      [FrameType.End, 0, 1],
      /END for channel 1 in the middle of a message/,
    );
  });
});

describe('frames that race a local close are ignored', () => {
  it('DATA, WINDOW, END and RESET for a channel this side reset', async () => {
    const peer = setup();
    peer.send(open1);
    await until(() => peer.accepted.length === 1);
    const own = peer.session.openChannel('own'); // id 2
    peer.accepted[0]!.reset('local');
    own.reset('local');
    for (const id of [1, 2]) {
      peer.send(
        [FrameType.Data, 0, id, new Uint8Array(10)],
        [FrameType.Window, 0, id, u32Bytes(100)],
        [FrameType.End, 0, id],
        [FrameType.Reset, 0, id],
      );
    }
    await tick();
    await tick();
    expect(peer.session.closed).toBe(false);
    expect(peer.frames.filter((f) => f.type === FrameType.Reset).map((f) => f.channel)).toEqual([1, 2]);
  });

  it('frames for a channel both sides ended', async () => {
    const peer = setup();
    peer.send(open1, [FrameType.End, 0, 1]);
    await until(() => peer.accepted.length === 1);
    const channel = peer.accepted[0]!;
    await tick();
    channel.end();
    expect(channel.closed).toBe(true);
    peer.send([FrameType.Window, 0, 1, u32Bytes(5)], [FrameType.Reset, 0, 1]);
    await tick();
    await tick();
    expect(peer.session.closed).toBe(false);
  });

  it('DATA following an OPEN that was refused for the channel limit', async () => {
    const peer = setup({ maxChannels: 1 });
    peer.send(
      open1,
      [FrameType.Open, 0, 3, label('refused')],
      [FrameType.Data, 0, 3, new Uint8Array(5)],
      [FrameType.End, 0, 3],
    );
    await until(() => peer.frames.some((f) => f.type === FrameType.Reset));
    await tick();
    const reset = peer.frames.find((f) => f.type === FrameType.Reset)!;
    expect(reset.channel).toBe(3);
    expect(new TextDecoder().decode(reset.payload)).toBe('channel limit reached');
    expect(peer.session.closed).toBe(false);
  });
});

describe('session frames from a raw peer', () => {
  it('answers PING with an ACK echoing the payload', async () => {
    const peer = setup();
    const payload = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    peer.send([FrameType.Ping, 0, 0, payload]);
    await until(() => peer.frames.length === 1);
    expect(peer.frames[0]).toEqual({ type: FrameType.Ping, flags: FrameFlag.Ack, channel: 0, payload });
    // An unsolicited ACK is ignored.
    peer.send([FrameType.Ping, FrameFlag.Ack, 0, payload]);
    await tick();
    expect(peer.session.closed).toBe(false);
  });

  it('GOAWAY code 0 closes the session without error; open channels close with CONNECTION_CLOSED', async () => {
    const peer = setup();
    peer.send(open1, [FrameType.Data, 0, 1, label('last')]);
    const got: string[] = [];
    peer.session.onDidOpenChannel((c) => c.onDidReceive((m) => got.push(new TextDecoder().decode(m))));
    await until(() => peer.accepted.length === 1);
    const channel = record(peer.accepted[0]!);
    peer.send([FrameType.GoAway, 0, 0, new Uint8Array([0, 0, 0, 0, ...label('bye')])]);
    await until(() => peer.session.closed);
    expect(got).toEqual(['last']);
    expect(peer.closes).toEqual([{}]);
    expect(isTetherError(channel.closeError, 'CONNECTION_CLOSED')).toBe(true);
    expect(channel.closeError!.message).toMatch(/the peer closed the mux session \(normal close: bye\)/);
    await until(() => peer.raw.closed);
  });

  it('GOAWAY with an error code closes the session with CONNECTION_CLOSED carrying the reason', async () => {
    const peer = setup();
    peer.send([FrameType.GoAway, 0, 0, new Uint8Array([0, 0, 0, 2, ...label('out of memory')])]);
    await until(() => peer.session.closed);
    expect(isTetherError(peer.closes[0]!.error, 'CONNECTION_CLOSED')).toBe(true);
    expect(peer.closes[0]!.error!.message).toMatch(/internal error: out of memory/);
  });
});
