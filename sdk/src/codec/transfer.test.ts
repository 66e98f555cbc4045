// transfer(): bytes handed over are sent by reference (a part of their own, uncopied), and the message
// is byte-for-byte what `encode` writes, wherever the bytes sit in the value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDifference } from '../test-support/same-bytes.js';
import { TRANSFER_MIN_BYTES, isTransferred, transfer } from './transfer.js';
import { ValueCodec } from './value-codec.js';

const codec = new ValueCodec();

function joined(parts: Uint8Array | Uint8Array[]): Uint8Array {
  return parts instanceof Uint8Array ? parts : Buffer.concat(parts);
}

function bytes(length: number, seed = 1): Uint8Array {
  return new Uint8Array(length).map((_, i) => (i * seed + 7) & 0xff);
}

describe('transfer', () => {
  it('marks a Uint8Array (or Buffer) and returns it; anything else is a TypeError', () => {
    const data = bytes(10);
    expect(transfer(data)).toBe(data);
    expect(isTransferred(data)).toBe(true);
    expect(isTransferred(bytes(10))).toBe(false);
    const buffer = Buffer.alloc(5000);
    expect(transfer(buffer)).toBe(buffer);
    expect(() => transfer('text' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('sends transferred bytes as their own parts, uncopied, byte-identical to encode()', () => {
    const a = transfer(bytes(100_000, 3));
    const b = transfer(bytes(TRANSFER_MIN_BYTES, 5));
    const value = ['call', 7, { first: a, list: [1, b, 'x'] }, a];
    const parts = codec.encodeParts(value);
    expect(Array.isArray(parts)).toBe(true);
    const list = parts as Uint8Array[];
    expect(list.filter((part) => part === a)).toHaveLength(2);
    expect(list.filter((part) => part === b)).toHaveLength(1);
    expect(firstDifference(joined(parts), codec.encode(value))).toBe('equal');
    expect(codec.decode(joined(parts))).toEqual(value);
  });

  it('copies what is small, not transferred, or inside an ext (Map, Set, Error) — still the same bytes', () => {
    const small = transfer(bytes(TRANSFER_MIN_BYTES - 1));
    const plain = bytes(50_000);
    const inMap = transfer(bytes(50_000, 9));
    const value = { small, plain, map: new Map([['k', inMap]]), set: new Set([inMap]) };
    const parts = codec.encodeParts(value);
    expect(parts).toBeInstanceOf(Uint8Array);
    expect(firstDifference(parts as Uint8Array, codec.encode(value))).toBe('equal');
  });

  it('property: with transferred bytes anywhere, the parts join into exactly what encode() writes', () => {
    const leaf = fc.oneof(
      fc.integer(),
      fc.string(),
      fc.constant(null),
      fc.integer({ min: 0, max: 3 * TRANSFER_MIN_BYTES }).map((n) => bytes(n, n % 7)),
      fc.integer({ min: 0, max: 3 * TRANSFER_MIN_BYTES }).map((n) => transfer(bytes(n, n % 5))),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 4 }),
        fc.array(tie('node'), { maxLength: 3 }).map((items) => new Set(items)),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(firstDifference(joined(codec.encodeParts(v)), codec.encode(v))).toBe('equal');
      }),
      { numRuns: 200 },
    );
  });

  it('a failed encode leaves nothing behind for the next one', () => {
    const data = transfer(bytes(10_000));
    expect(() => codec.encodeParts([data, () => 1])).toThrow();
    expect(codec.encodeParts([1, 2])).toBeInstanceOf(Uint8Array);
    expect(firstDifference(joined(codec.encodeParts([data])), codec.encode([data]))).toBe('equal');
  });
});
