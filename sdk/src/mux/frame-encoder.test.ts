import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './frame-decoder.js';
import { COPY_THRESHOLD, FrameEncoder, encodeFrame } from './frame-encoder.js';
import { FrameFlag, FrameType, type Frame } from './frame.js';

function decodeAll(chunks: readonly Uint8Array[]): Frame[] {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder(
    1 << 24,
    (type, flags, channel, payload) => frames.push({ type, flags, channel, payload: payload.slice() }),
    (error) => {
      throw error;
    },
  );
  for (const chunk of chunks) decoder.push(chunk);
  return frames;
}

describe('FrameEncoder', () => {
  it('writes the header big-endian: u32 length, u8 type, u8 flags, u32 channel', () => {
    expect([
      ...encodeFrame(FrameType.Data, FrameFlag.More, 0x01020304, new Uint8Array([0xaa, 0xbb])),
    ]).toEqual([0, 0, 0, 2, 0x02, 0x01, 1, 2, 3, 4, 0xaa, 0xbb]);
  });

  it('packs small frames into one chunk and passes a large payload as its own chunk, uncopied', () => {
    const encoder = new FrameEncoder();
    const large = new Uint8Array(COPY_THRESHOLD);
    encoder.frame(FrameType.Open, 0, 1, new Uint8Array([1]));
    encoder.window(1, 1000);
    encoder.frame(FrameType.Data, 0, 1, large);
    encoder.frame(FrameType.End, 0, 1);
    expect(encoder.pendingBytes).toBe(11 + 14 + 10 + COPY_THRESHOLD + 10);
    const chunks = encoder.take();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(large);
    expect(encoder.pendingBytes).toBe(0);
    expect(decodeAll(chunks).map((f) => f.type)).toEqual([
      FrameType.Open,
      FrameType.Window,
      FrameType.Data,
      FrameType.End,
    ]);
  });

  it('never modifies bytes it handed out, while reusing the rest of its buffer', () => {
    const encoder = new FrameEncoder();
    encoder.frame(FrameType.Data, 0, 1, new Uint8Array([7, 7, 7]));
    const first = encoder.take();
    const snapshot = first.map((c) => c.slice());
    for (let i = 0; i < 10_000; i++) encoder.frame(FrameType.Data, 0, 3, new Uint8Array([i & 255]));
    const second = encoder.take();
    expect(first).toEqual(snapshot);
    expect(second[0]!.buffer).toBe(first[0]!.buffer); // same 64 KiB buffer continued
    expect(decodeAll(second)).toHaveLength(10_000);
  });

  it('clear() drops queued frames', () => {
    const encoder = new FrameEncoder();
    encoder.frame(FrameType.Data, 0, 1, new Uint8Array(10_000));
    encoder.clear();
    expect(encoder.take()).toEqual([]);
  });
});
