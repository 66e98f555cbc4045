// Large byte chunks of a stream are sent as [header, chunk] without copying; the bytes on the wire must be
// exactly what the codec writes for [Item, chunk], and anything else must go through the codec.
import { describe, expect, it } from 'vitest';
import { ValueCodec } from '../codec/value-codec.js';
import { firstDifference } from '../test-support/same-bytes.js';
import { StreamMessage } from './rpc-protocol.js';
import { UNCOPIED_ITEM_MIN, encodeItem, type StreamCodec } from './stream-bridge.js';

const valueCodec = new ValueCodec();
const codec: StreamCodec = {
  encode: (value) => valueCodec.encode(value),
  decode: (bytes) => valueCodec.decode(bytes),
  toError: (payload) => new Error(String(payload)),
};

function joined(encoded: Uint8Array | Uint8Array[]): Uint8Array {
  return encoded instanceof Uint8Array ? encoded : Buffer.concat(encoded);
}

describe('encodeItem', () => {
  it('sends a large Uint8Array (or Buffer) as header + the chunk itself, byte-identical to the codec', () => {
    for (const size of [UNCOPIED_ITEM_MIN, UNCOPIED_ITEM_MIN + 1, 1024 * 1024 + 3]) {
      for (const chunk of [new Uint8Array(size).map((_, i) => i & 0xff), Buffer.alloc(size, 7)]) {
        const encoded = encodeItem(codec, chunk);
        expect(Array.isArray(encoded)).toBe(true);
        expect((encoded as Uint8Array[])[1]).toBe(chunk);
        const reference = valueCodec.encode([StreamMessage.Item, chunk]);
        expect(firstDifference(joined(encoded), reference)).toBe('equal');
      }
    }
  });

  it('leaves small chunks, other typed arrays and other values to the codec', () => {
    const cases: unknown[] = [
      new Uint8Array(UNCOPIED_ITEM_MIN - 1),
      new Float32Array(UNCOPIED_ITEM_MIN),
      new Uint8ClampedArray(UNCOPIED_ITEM_MIN),
      new DataView(new ArrayBuffer(UNCOPIED_ITEM_MIN)),
      'text',
      { bytes: new Uint8Array(UNCOPIED_ITEM_MIN) },
    ];
    for (const value of cases) {
      const encoded = encodeItem(codec, value);
      expect(encoded).toBeInstanceOf(Uint8Array);
      expect(firstDifference(encoded as Uint8Array, valueCodec.encode([StreamMessage.Item, value]))).toBe(
        'equal',
      );
    }
  });

  it('decodes back to the same item', () => {
    const chunk = new Uint8Array(UNCOPIED_ITEM_MIN * 2).map((_, i) => (i * 13) & 0xff);
    const [kind, item] = codec.decode(joined(encodeItem(codec, chunk))) as [number, Uint8Array];
    expect(kind).toBe(StreamMessage.Item);
    expect(firstDifference(item, chunk)).toBe('equal');
  });
});
