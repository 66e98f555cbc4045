// The raw floor's frame reader: whatever the socket's read boundaries, every frame comes out whole and in
// order, and data frames are counted to the byte (the floor's stream figures rest on that count).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, FrameType, numberPayload, readNumber } from './raw-unix-frames.js';

function encode(type: FrameType, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(5 + payload.byteLength);
  new DataView(frame.buffer).setUint32(0, payload.byteLength);
  frame[4] = type;
  frame.set(payload, 5);
  return frame;
}

const frameArb = fc.record({
  type: fc.constantFrom(FrameType.Echo, FrameType.Data, FrameType.End, FrameType.Count),
  payload: fc.uint8Array({ maxLength: 300 }),
});

describe('FrameReader', () => {
  it('delivers non-data frames whole and counts data bytes, for any split of the input', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, cuts) => {
          const bytes = new Uint8Array(frames.flatMap((f) => [...encode(f.type, f.payload)]));
          const delivered: { type: FrameType; payload: number[] }[] = [];
          const reader = new FrameReader((type, payload) => delivered.push({ type, payload: [...payload] }));
          const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const to of [...points, bytes.byteLength]) {
            reader.push(bytes.subarray(from, to));
            from = to;
          }
          const others = frames.filter((f) => f.type !== FrameType.Data);
          expect(delivered).toEqual(others.map((f) => ({ type: f.type, payload: [...f.payload] })));
          const data = frames.filter((f) => f.type === FrameType.Data);
          expect(reader.takeDataBytes()).toBe(data.reduce((sum, f) => sum + f.payload.byteLength, 0));
          expect(reader.takeDataBytes()).toBe(0);
        },
      ),
    );
  });

  it('carries byte counts above 2³² in a number payload', () => {
    const payload = numberPayload(2 ** 40 + 3, 65536);
    expect([readNumber(payload, 0), readNumber(payload, 1)]).toEqual([2 ** 40 + 3, 65536]);
  });
});
