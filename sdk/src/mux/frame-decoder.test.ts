import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_SIZE } from '../constants.js';
import { FramingError } from '../errors/errors.js';
import { FrameDecoder } from './frame-decoder.js';
import { encodeFrame } from './frame-encoder.js';
import {
  FrameFlag,
  FrameType,
  GOAWAY_MIN_PAYLOAD_SIZE,
  MAX_LABEL_BYTES,
  PING_PAYLOAD_SIZE,
  WINDOW_PAYLOAD_SIZE,
  isSessionFrameType,
  type Frame,
} from './frame.js';

const MAX_FRAME = 300;

function collect(maxFrameSize = MAX_FRAME) {
  const frames: Frame[] = [];
  const errors: FramingError[] = [];
  const decoder = new FrameDecoder(
    maxFrameSize,
    (type, flags, channel, payload) => frames.push({ type, flags, channel, payload: payload.slice() }),
    (error) => errors.push(error),
  );
  return { decoder, frames, errors };
}

/** Frames that pass every stateless check of the decoder. */
const validFrame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    type: fc.constant(FrameType.Open),
    flags: fc.constant(0),
    channel: fc.integer({ min: 1, max: 0xffff_ffff }),
    payload: fc.uint8Array({ maxLength: MAX_LABEL_BYTES }),
  }),
  fc.record({
    type: fc.constant(FrameType.Data),
    flags: fc.integer({ min: 0, max: 255 }),
    channel: fc.integer({ min: 1, max: 0xffff_ffff }),
    payload: fc.oneof(fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ maxLength: MAX_FRAME })),
  }),
  fc.record({
    type: fc.constant(FrameType.Window),
    flags: fc.constant(0),
    channel: fc.integer({ min: 1, max: 0xffff_ffff }),
    payload: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  }),
  fc.record({
    type: fc.constantFrom(FrameType.End, FrameType.Reset),
    flags: fc.constant(0),
    channel: fc.integer({ min: 1, max: 0xffff_ffff }),
    payload: fc.uint8Array({ maxLength: 40 }),
  }),
  fc.record({
    type: fc.constant(FrameType.Ping),
    flags: fc.constantFrom(0, 2),
    channel: fc.constant(0),
    payload: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant(FrameType.GoAway),
    flags: fc.constant(0),
    channel: fc.constant(0),
    payload: fc.uint8Array({ minLength: 4, maxLength: 60 }),
  }),
);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Splits `stream` at the given points (sorted, deduplicated, clamped). */
function split(stream: Uint8Array, points: number[]): Uint8Array[] {
  const cuts = [...new Set(points.map((p) => p % (stream.byteLength + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const cut of [...cuts, stream.byteLength]) {
    chunks.push(stream.slice(last, cut));
    last = cut;
  }
  return chunks;
}

/** Where to cut an encoded frame stream: at random points, or into single bytes. */
const chunking = fc.oneof(fc.array(fc.nat(), { maxLength: 40 }), fc.constant('bytes' as const));

/** The frames encoded back to back, cut as `points` says. */
function chunked(frames: readonly Frame[], points: number[] | 'bytes'): Uint8Array[] {
  const stream = concat(frames.map((f) => encodeFrame(f.type, f.flags, f.channel, f.payload)));
  return points === 'bytes' ? Array.from(stream, (b) => new Uint8Array([b])) : split(stream, points);
}

/** What the decoder promises about every frame it delivers. */
function isStructurallyValid(frame: Frame, maxFrameSize: number): boolean {
  const { type, channel, payload } = frame;
  if (type < FrameType.Open || type > FrameType.GoAway) return false;
  if (payload.byteLength > maxFrameSize) return false;
  if (isSessionFrameType(type) !== (channel === 0)) return false;
  if (type === FrameType.Open && payload.byteLength > MAX_LABEL_BYTES) return false;
  if (type === FrameType.Window && payload.byteLength !== WINDOW_PAYLOAD_SIZE) return false;
  if (type === FrameType.Ping && payload.byteLength !== PING_PAYLOAD_SIZE) return false;
  if (type === FrameType.GoAway && payload.byteLength < GOAWAY_MIN_PAYLOAD_SIZE) return false;
  return true;
}

describe('FrameDecoder', () => {
  it('decodes a frame whose header and payload arrive one byte at a time', () => {
    const { decoder, frames, errors } = collect();
    const frame = encodeFrame(FrameType.Data, 1, 7, new Uint8Array([1, 2, 3]));
    for (const byte of frame) decoder.push(new Uint8Array([byte]));
    expect(errors).toEqual([]);
    expect(frames).toEqual([
      { type: FrameType.Data, flags: 1, channel: 7, payload: new Uint8Array([1, 2, 3]) },
    ]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('rejects an over-long payload from the header alone, before buffering any of it', () => {
    const { decoder, errors } = collect(100);
    const header = encodeFrame(FrameType.Data, 0, 1, new Uint8Array(101)).subarray(0, FRAME_HEADER_SIZE);
    decoder.push(header);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/101 bytes.*maxFrameSize of 100/);
    expect(decoder.bufferedBytes).toBe(0);
    decoder.push(new Uint8Array(500));
    expect(errors).toHaveLength(1);
  });

  it.each([
    ['unknown type', encodeFrame(0x2a, 0, 1), /unknown type 0x2a/],
    ['type 0', encodeFrame(0, 0, 1), /unknown type 0x00/],
    ['PING on a channel', encodeFrame(FrameType.Ping, 0, 3, new Uint8Array(8)), /PING frame on channel 3/],
    [
      'GOAWAY on a channel',
      encodeFrame(FrameType.GoAway, 0, 3, new Uint8Array(4)),
      /GOAWAY frame on channel 3/,
    ],
    ['DATA on channel 0', encodeFrame(FrameType.Data, 0, 0), /DATA frame on channel 0/],
    ['OPEN on channel 0', encodeFrame(FrameType.Open, 0, 0), /OPEN frame on channel 0/],
    ['long label', encodeFrame(FrameType.Open, 0, 1, new Uint8Array(256)), /256-byte label/],
    ['short WINDOW', encodeFrame(FrameType.Window, 0, 1, new Uint8Array(3)), /WINDOW .* 3-byte payload/],
    ['long WINDOW', encodeFrame(FrameType.Window, 0, 1, new Uint8Array(5)), /WINDOW .* 5-byte payload/],
    ['short PING', encodeFrame(FrameType.Ping, 0, 0, new Uint8Array(7)), /PING frame with a 7-byte payload/],
    [
      'short GOAWAY',
      encodeFrame(FrameType.GoAway, 0, 0, new Uint8Array(3)),
      /GOAWAY frame with a 3-byte payload/,
    ],
  ])('reports %s once, as a FramingError, and ignores the rest', (_name, bad, message) => {
    const { decoder, frames, errors } = collect();
    const good = encodeFrame(FrameType.Data, 0, 1, new Uint8Array([9]));
    expect(() => decoder.push(concat([good, bad, good]))).not.toThrow();
    expect(frames).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FramingError);
    expect(errors[0]!.code).toBe('FRAMING_ERROR');
    expect(errors[0]!.message).toMatch(message);
    expect(decoder.failed).toBe(true);
    decoder.push(good);
    expect(frames).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('passes a payload inside one chunk on without copying it', () => {
    const chunk = encodeFrame(FrameType.Data, 0, 1, new Uint8Array([1, 2, 3, 4]));
    let seen: Uint8Array | undefined;
    const decoder = new FrameDecoder(
      100,
      (_t, _f, _c, payload) => (seen = payload),
      () => {},
    );
    decoder.push(chunk);
    expect(seen!.buffer).toBe(chunk.buffer);
  });

  it('stop() drops buffered bytes and ignores later input', () => {
    const { decoder, frames } = collect();
    decoder.push(encodeFrame(FrameType.Data, 0, 1, new Uint8Array(50)).subarray(0, 30));
    expect(decoder.bufferedBytes).toBe(30);
    decoder.stop();
    expect(decoder.bufferedBytes).toBe(0);
    decoder.push(encodeFrame(FrameType.Data, 0, 1));
    expect(frames).toEqual([]);
  });

  it('splitData: any chunking yields DATA pieces that join (MORE added to all but the last) into the frames', () => {
    fc.assert(
      fc.property(fc.array(validFrame, { maxLength: 20 }), chunking, (frames, points) => {
        const chunks = chunked(frames, points);
        const out: Frame[] = [];
        let pieces: Uint8Array[] = [];
        const decoder = new FrameDecoder(
          MAX_FRAME,
          (type, flags, channel, payload) => {
            if (type !== FrameType.Data) {
              expect(pieces).toEqual([]);
              out.push({ type, flags, channel, payload: payload.slice() });
              return;
            }
            pieces.push(payload.slice());
            const original = frames[out.length]!;
            const joined = concat(pieces);
            if (joined.byteLength < original.payload.byteLength) {
              // A piece of a frame still in progress: MORE is set, the original flags are kept.
              expect(flags).toBe(original.flags | FrameFlag.More);
              return;
            }
            out.push({ type, flags, channel, payload: joined });
            pieces = [];
          },
          (error) => expect.fail(error.message),
          { splitData: true },
        );
        for (const chunk of chunks) {
          decoder.push(chunk);
          // Only a header, or a non-DATA payload, is ever buffered.
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(FRAME_HEADER_SIZE + MAX_FRAME);
        }
        expect(out).toEqual(frames);
        expect(decoder.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('splitData: a large DATA payload over many chunks is passed on as views of those chunks, uncopied', () => {
    const payload = new Uint8Array(250).map((_, i) => i);
    const stream = encodeFrame(FrameType.Data, 0, 3, payload);
    const chunks = split(stream, [4, 60, 130, 200]);
    const seen: { flags: number; piece: Uint8Array }[] = [];
    const decoder = new FrameDecoder(
      MAX_FRAME,
      (_type, flags, _channel, piece) => seen.push({ flags, piece }),
      (error) => expect.fail(error.message),
      { splitData: true },
    );
    for (const chunk of chunks) decoder.push(chunk);
    expect(seen.map((s) => s.flags)).toEqual([FrameFlag.More, FrameFlag.More, FrameFlag.More, 0]);
    expect(seen.every((s, i) => s.piece.buffer === chunks[i + 1]!.buffer)).toBe(true);
    expect(concat(seen.map((s) => s.piece))).toEqual(payload);
  });

  it('property: any chunking of a valid frame stream decodes to the same frames', () => {
    fc.assert(
      fc.property(fc.array(validFrame, { maxLength: 20 }), chunking, (frames, points) => {
        const chunks = chunked(frames, points);
        const { decoder, frames: out, errors } = collect();
        for (const chunk of chunks) {
          decoder.push(chunk);
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(FRAME_HEADER_SIZE + MAX_FRAME);
        }
        expect(errors).toEqual([]);
        expect(out).toEqual(frames);
        expect(decoder.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  type Mutation =
    | { kind: 'flip'; at: number; bit: number }
    | { kind: 'truncate'; at: number }
    | { kind: 'insert'; at: number; bytes: Uint8Array }
    | { kind: 'huge-length'; frame: number; value: number }
    | { kind: 'delete'; at: number; count: number };

  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
    }),
    fc.record({
      kind: fc.constant('huge-length' as const),
      frame: fc.nat(),
      value: fc.integer({ min: MAX_FRAME + 1, max: 0xffff_ffff }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 12 }) }),
  );

  function mutate(frames: Frame[], mutations: Mutation[]): Uint8Array {
    const encoded = frames.map((f) => encodeFrame(f.type, f.flags, f.channel, f.payload));
    let stream = concat(encoded);
    for (const m of mutations) {
      const n = stream.byteLength;
      if (m.kind === 'huge-length') {
        if (encoded.length === 0) continue;
        const index = m.frame % encoded.length;
        const offset = encoded.slice(0, index).reduce((sum, f) => sum + f.byteLength, 0);
        if (offset + 4 > n) continue;
        new DataView(stream.buffer, stream.byteOffset).setUint32(offset, m.value);
      } else if (n === 0) {
        if (m.kind === 'insert') stream = m.bytes.slice();
      } else if (m.kind === 'flip') {
        stream[m.at % n]! ^= 1 << m.bit;
      } else if (m.kind === 'truncate') {
        stream = stream.slice(0, m.at % n);
      } else if (m.kind === 'insert') {
        const at = m.at % (n + 1);
        stream = concat([stream.subarray(0, at), m.bytes, stream.subarray(at)]);
      } else {
        const at = m.at % n;
        stream = concat([stream.subarray(0, at), stream.subarray(Math.min(n, at + m.count))]);
      }
    }
    return stream;
  }

  function checkGarbage(stream: Uint8Array, points: number[]): void {
    const events: ('frame' | 'error')[] = [];
    const frames: Frame[] = [];
    const decoder = new FrameDecoder(
      MAX_FRAME,
      (type, flags, channel, payload) => {
        events.push('frame');
        frames.push({ type, flags, channel, payload: payload.slice() });
      },
      (error) => {
        expect(error).toBeInstanceOf(FramingError);
        events.push('error');
      },
    );
    for (const chunk of split(stream, points)) {
      expect(() => decoder.push(chunk)).not.toThrow();
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(FRAME_HEADER_SIZE + MAX_FRAME);
    }
    const firstError = events.indexOf('error');
    if (firstError >= 0) expect(events.slice(firstError)).toEqual(['error']);
    for (const frame of frames) expect(isStructurallyValid(frame, MAX_FRAME)).toBe(true);
  }

  it('property: random bytes never throw, stay bounded, and end in valid frames then at most one error', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (stream, points) => checkGarbage(stream, points),
      ),
      { numRuns: 500 },
    );
  });

  it('property: mutated valid streams never throw, stay bounded, and end in valid frames then at most one error', () => {
    fc.assert(
      fc.property(
        fc.array(validFrame, { maxLength: 15 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, mutations, points) => checkGarbage(mutate(frames, mutations), points),
      ),
      { numRuns: 500 },
    );
  });
});
