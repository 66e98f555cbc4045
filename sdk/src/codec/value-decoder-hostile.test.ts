// The decoder reads bytes from another process: whatever they are, it must answer with a value or a
// SerializationError — never another exception, never a hang, never a huge allocation, never a polluted
// prototype.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerializationError } from '../errors/errors.js';
import { fromHex } from './test-fixtures/codec-assertions.js';
import { ValueCodec } from './value-codec.js';

const codec = new ValueCodec();
const hookCodec = new ValueCodec({ hooks: { decode: (type, payload) => ({ type, payload }) } });

function decodeError(bytes: Uint8Array | string, c: ValueCodec = codec): SerializationError {
  try {
    c.decode(typeof bytes === 'string' ? fromHex(bytes) : bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return error as SerializationError;
  }
  throw new Error('expected decode to fail');
}

function prototypeSnapshot(): string[] {
  return Reflect.ownKeys(Object.prototype).map(String).sort();
}

describe('decoding hostile input: prototype safety', () => {
  let before: string[];
  beforeEach(() => {
    before = prototypeSnapshot();
  });
  afterEach(() => {
    expect(prototypeSnapshot()).toStrictEqual(before);
    expect('polluted' in {}).toBe(false);
  });

  it('makes a "__proto__" key an ordinary own property, never the prototype', () => {
    // {"__proto__": {"polluted": true}}
    const decoded = codec.decode(fromHex('81 a9 5f5f70726f746f5f5f 81 a8 706f6c6c75746564 c3')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toStrictEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')).toStrictEqual({
      value: { polluted: true },
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(decoded.polluted).toBeUndefined();
  });

  it('round-trips an own "__proto__" key, as JSON.parse makes it', () => {
    const original = JSON.parse(
      '{"a": 1, "__proto__": {"polluted": 1}, "b": [{"__proto__": null}]}',
    ) as object;
    const decoded = codec.decode(codec.encode(original));
    expect(decoded).toStrictEqual(original);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('keeps "constructor" and "prototype" keys as plain data', () => {
    const hostile = JSON.parse('{"constructor": {"prototype": {"polluted": true}}, "toString": 1}') as object;
    const decoded = codec.decode(codec.encode(hostile)) as Record<string, unknown>;
    expect(decoded.constructor).toStrictEqual({ prototype: { polluted: true } });
    expect(decoded.toString).toBe(1);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('handles duplicate "__proto__" keys (last one wins, still own data)', () => {
    // {"__proto__": 1, "__proto__": {"polluted": true}}
    const decoded = codec.decode(
      fromHex('82 a9 5f5f70726f746f5f5f 01 a9 5f5f70726f746f5f5f 81 a8 706f6c6c75746564 c3'),
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toStrictEqual({ polluted: true });
  });

  it('keeps a "__proto__" key inside a map that turns into a Map', () => {
    // {"__proto__": 1, 2: 3}
    const decoded = codec.decode(fromHex('82 a9 5f5f70726f746f5f5f 01 02 03')) as Map<unknown, unknown>;
    expect([...decoded]).toStrictEqual([
      ['__proto__', 1],
      [2, 3],
    ]);
  });
});

describe('decoding hostile input: structure', () => {
  it.each<[string, string, RegExp]>([
    ['empty input', '', /truncated input/],
    ['the reserved byte 0xc1', 'c1', /reserved byte 0xc1 \(at byte 0\)/],
    ['0xc1 inside an array', '92 01 c1', /reserved byte 0xc1 \(at byte 2\)/],
    ['trailing bytes', '01 02', /1 unexpected bytes after the value/],
    ['a truncated uint 32', 'ce 0001', /truncated input/],
    ['a truncated float 64', 'cb 3ff0', /truncated input/],
    ['a truncated fixstr', 'a5 6162', /truncated input: 5 bytes needed, 2 left/],
    ['an array missing items', '93 01 02', /an array claims 3 items but only 2 bytes are left/],
    ['a map missing a value', '81 a1 61', /truncated input/],
    ['a map missing both', '82 a1 61', /a map claims 2 items but only 2 bytes are left/],
    ['a map missing a value (caught while reading)', '82 a1 61 01 a1 62', /truncated input|claims/],
    ['undefined with data 1', 'd4 00 01', /invalid content for ext type 0/],
    ['undefined with 2 bytes', 'd5 00 0000', /invalid content for ext type 0/],
    ['a Date of 4 bytes', 'd6 01 00000000', /ext type 1: expected 8 bytes/],
    ['a BigInt sign byte 2', 'd5 02 0201', /ext type 2: expected a sign byte/],
    ['an empty BigInt', 'c7 00 02', /ext type 2/],
    ['a Map with an odd item count', 'd5 03 91 01', /ext type 3: expected an even number/],
    ['a Map whose content is not an array', 'd5 03 a1 61', /ext type 3: the content must be a msgpack array/],
    ['a Set whose content is a string', 'd5 04 a1 61', /ext type 4: the content must be a msgpack array/],
    ['a Set with bytes after its content', 'd6 04 91 01 01 01', /ext type 4: bytes left after the content/],
    ['a Set whose items run past the ext', 'd5 04 92 01 02', /truncated input|claims/],
    ['a RegExp with a bad pattern', 'c7 04 05 92 a1 28 a0', /ext type 5: Invalid regular expression/],
    ['a RegExp with bad flags', 'c7 05 05 92 a1 61 a1 51', /ext type 5: Invalid flags/],
    ['a RegExp with one item', 'd5 05 91 a0', /ext type 5: expected \[source, flags\]/],
    ['a typed array of unknown kind 11', 'd5 06 0b 00', /unknown typed array kind 11/],
    ['an Int16Array of 3 bytes', 'd6 06 02 010203', /3 bytes is not a whole number of Int16Array elements/],
    [
      'a Float64Array of 7 bytes',
      'd8 06 07' + '00'.repeat(15),
      /15 bytes is not a whole number of Float64Array/,
    ],
    ['an empty typed array ext', 'c7 00 06', /unknown typed array kind/],
    ['an Error that is not a map', 'd5 08 91 01', /cannot decode an Error/],
    ['reserved ext type 9', 'd4 09 00', /unknown ext type 9/],
    ['ext type 15', 'd4 0f 00', /unknown ext type 15/],
    ['ext type 64', 'd4 40 00', /unknown ext type 64/],
    ['the msgpack timestamp ext (-1)', 'd6 ff 00000000', /unknown ext type -1/],
    ['a hook ext type without hooks', 'd4 10 01', /ext type 16 needs a codec hook/],
  ])('rejects %s', (_name, bytes, message) => {
    expect(decodeError(bytes.replace(/\s+/g, '')).message).toMatch(message);
  });

  it('rejects a hook payload followed by stray bytes inside the ext', () => {
    expect(decodeError('d5 10 01 01', hookCodec).message).toMatch(
      /ext type 16: bytes left after the payload/,
    );
    expect(hookCodec.decode(fromHex('d4 10 01'))).toStrictEqual({ type: 16, payload: 1 });
  });

  it('rejects ext content whose nested value claims more than the ext holds', () => {
    // ext 8 of 2 bytes, type Set, content 92 01 — and a 02 after the ext that belongs to no one
    expect(decodeError('c7 02 04 92 01 02').message).toMatch(/truncated input|claims/);
  });

  it.each<[string, string]>([
    ['array 32', 'dd ffffffff'],
    ['map 32', 'df ffffffff'],
    ['str 32', 'db ffffffff'],
    ['bin 32', 'c6 ffffffff'],
    ['ext 32', 'c9 ffffffff 03'],
  ])('rejects a %s claiming 4 GiB in a 10-byte buffer at once, without allocating', (_name, header) => {
    const bytes = new Uint8Array(10);
    bytes.set(fromHex(header.replace(/\s+/g, '')));
    const heapBefore = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    decodeError(bytes);
    // A generous bound, not a figure (a loaded machine is slow): it catches work sized by the claimed 4 GiB.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(1024 * 1024);
  });

  it('rejects a million nested arrays with the depth error, not a stack overflow', () => {
    const bytes = new Uint8Array(1_000_001).fill(0x91);
    bytes[1_000_000] = 0xc0;
    expect(decodeError(bytes).message).toMatch(/nested deeper than 256 levels/);
  });

  it('rejects deeply nested maps, Sets and hook exts with the depth error', () => {
    const maps = new Uint8Array(200_001).fill(0);
    for (let i = 0; i < 100_000; i++) maps.set([0x81, 0xa0], 2 * i); // {"": {"": …}}
    maps[200_000] = 0xc0;
    expect(decodeError(maps).message).toMatch(/nested deeper/);

    // Set of Set of … each as ext 32 with a correct length
    const levels = 10_000;
    const sets = new Uint8Array(levels * 7 + 1);
    for (let i = 0; i < levels; i++) {
      const remaining = (levels - i - 1) * 7 + 1 + 1;
      sets.set(
        [
          0xc9,
          (remaining >>> 24) & 0xff,
          (remaining >>> 16) & 0xff,
          (remaining >>> 8) & 0xff,
          remaining & 0xff,
          4,
          0x91,
        ],
        i * 7,
      );
    }
    sets[levels * 7] = 0xc0;
    expect(decodeError(sets).message).toMatch(/nested deeper/);

    const hooks = new Uint8Array(30_001).fill(0);
    for (let i = 0; i < 10_000; i++) hooks.set([0xd4, 0x10], i * 2);
    hooks[20_000] = 0xc0; // fixext 1 cannot really nest; still must fail cleanly
    decodeError(hooks.subarray(0, 20_001), hookCodec);
  });

  it('rejects every truncation of a valid encoding', () => {
    const value = {
      list: [1, -200, 70_000, 2 ** 40, 0.5, 'text', 'ü'.repeat(40), null, true, undefined],
      bytes: new Uint8Array(300),
      when: new Date(5),
      big: -(2n ** 70n),
      map: new Map<unknown, unknown>([[{ k: 1 }, new Set(['a'])]]),
      re: /x/g,
      f32: new Float32Array([1, 2]),
      ab: new ArrayBuffer(3),
      error: new Error('e', { cause: new TypeError('c') }),
    };
    const bytes = codec.encode(value);
    for (let end = 0; end < bytes.length; end++) decodeError(bytes.subarray(0, end));
  });

  it('refuses input that is not a Uint8Array', () => {
    for (const input of ['c0', new ArrayBuffer(1), [0xc0], null, undefined]) {
      expect(() => codec.decode(input as unknown as Uint8Array)).toThrow(SerializationError);
    }
  });

  it('is still usable after a failed decode (inside an ext)', () => {
    decodeError('c7 03 04 92 01 c1');
    expect(codec.decode(fromHex('d5 04 91 01'))).toStrictEqual(new Set([1]));
  });

  it('throws only SerializationError when the stack runs out, if there was room to call it at all', () => {
    const deep = new ValueCodec({ maxDepth: 1024 });
    let value: unknown = 0;
    for (let i = 0; i < 1000; i++) value = [value];
    const bytes = deep.encode(value);
    const others: string[] = [];
    let deepest = 0;
    let calls = 0;
    const recurse = (n: number, target: number): void => {
      deepest = n;
      if (n < target) return recurse(n + 1, target);
      const small = deep.encode([1]);
      const cases: [run: () => unknown, probe: () => unknown][] = [
        [() => deep.encode(value), () => deep.encode([1])],
        [() => deep.decode(bytes), () => deep.decode(small)],
      ];
      for (const [run, probe] of cases) {
        try {
          probe();
        } catch {
          continue; // no room even for a trivial call: nothing to promise there
        }
        calls++;
        try {
          run();
        } catch (error) {
          if (!(error instanceof SerializationError)) others.push(String(error));
        }
      }
    };
    try {
      recurse(0, Infinity); // finds how deep this stack goes
    } catch {
      // expected: RangeError from recurse itself
    }
    const limit = deepest;
    for (let margin = 5; margin <= 800; margin += margin < 100 ? 5 : 50) {
      try {
        recurse(0, limit - margin);
      } catch {
        // the probe itself ran out (frame sizes change as it is optimized): not the codec's doing
      }
    }
    expect(calls).toBeGreaterThan(0);
    expect(others).toStrictEqual([]);
  });
});
