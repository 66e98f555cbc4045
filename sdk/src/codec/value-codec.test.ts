import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_VALUE_DEPTH } from '../constants.js';
import { SerializationError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import type { CodecHooks, HookValue } from './codec-types.js';
import { assertSameAfterRoundTrip, hex } from './test-fixtures/codec-assertions.js';
import { MAX_VALUE_DEPTH_LIMIT, ValueCodec, extensionMarker } from './value-codec.js';
import { firstDifference } from '../test-support/same-bytes.js';

const codec = new ValueCodec();
const roundTrip = (value: unknown, c: ValueCodec = codec): unknown => c.decode(c.encode(value));

function encodeError(value: unknown, c: ValueCodec = codec): SerializationError {
  try {
    c.encode(value);
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return error as SerializationError;
  }
  throw new Error('expected encode to fail');
}

describe('ValueCodec round trip', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['true', true],
    ['false', false],
    ['zero', 0],
    ['-0', -0],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a fraction', 0.1],
    ['the smallest subnormal', Number.MIN_VALUE],
    ['MAX_VALUE', Number.MAX_VALUE],
    ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ['MIN_SAFE_INTEGER', Number.MIN_SAFE_INTEGER],
    ['2^53 (unsafe, float)', 2 ** 53],
    ['-(2^53)', -(2 ** 53)],
    ['1e300', 1e300],
    ['empty string', ''],
    ['ascii', 'hello'],
    ['emoji and CJK', 'héllo 😀 漢字 👩‍👩‍👧'],
    ['a long string with emoji', 'a😀é漢'.repeat(50_000)],
    ['a BOM at the start', '\ufeffbom'],
    ['NUL bytes', 'a\u0000b'],
    ['empty array', []],
    ['empty object', {}],
    ['nested arrays', [[[]], [1, [2, [3]]]]],
    ['an object', { a: 1, b: 'two', c: [3], d: { e: null } }],
    ['integer-like keys', { '1': 'a', '0': 'b', x: 'c' }],
    ['an undefined property', { a: undefined }],
    ['Date', new Date(1_700_000_000_123)],
    ['Date before the epoch', new Date(-1)],
    ['Invalid Date', new Date(NaN)],
    ['0n', 0n],
    ['1n', 1n],
    ['-1n', -1n],
    ['2^64n', 2n ** 64n],
    ['-(2^200)n', -(2n ** 200n)],
    ['2^48 - 1 (small path edge)', 2n ** 48n - 1n],
    ['2^48 (big path edge)', 2n ** 48n],
    ['empty Map', new Map()],
    [
      'Map with any keys',
      new Map<unknown, unknown>([
        [1, 'a'],
        ['1', 'b'],
        [{ k: 1 }, [2]],
        [null, undefined],
        [NaN, 0],
      ]),
    ],
    ['empty Set', new Set()],
    ['Set', new Set([1, '1', { a: 1 }, [2], undefined])],
    ['RegExp', /a+(b|c)?\u{1F600}$/giu],
    ['RegExp with every flag', new RegExp('x', 'dgimsuy')],
    ['empty Uint8Array', new Uint8Array()],
    ['Uint8Array', new Uint8Array([0, 1, 254, 255])],
    ['Int8Array', new Int8Array([-128, 0, 127])],
    ['Uint8ClampedArray', new Uint8ClampedArray([0, 128, 255])],
    ['Int16Array', new Int16Array([-32768, 1, 32767])],
    ['Uint16Array', new Uint16Array([0, 65535])],
    ['Int32Array', new Int32Array([-(2 ** 31), 2 ** 31 - 1])],
    ['Uint32Array', new Uint32Array([0, 2 ** 32 - 1])],
    ['Float32Array', new Float32Array([1.5, -0, NaN, Infinity])],
    ['Float64Array', new Float64Array([Math.PI, -0, NaN, -Infinity])],
    ['BigInt64Array', new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n])],
    ['BigUint64Array', new BigUint64Array([0n, 2n ** 64n - 1n])],
    ['empty Float64Array', new Float64Array()],
    ['DataView', new DataView(new Uint8Array([1, 2, 3]).buffer)],
    ['ArrayBuffer', new Uint8Array([9, 8, 7]).buffer],
    ['empty ArrayBuffer', new ArrayBuffer(0)],
  ])('%s', (_name, value) => {
    assertSameAfterRoundTrip(roundTrip(value), value);
  });

  it('keeps -0 apart from 0 (as float 64)', () => {
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Object.is(roundTrip(0), 0)).toBe(true);
  });

  it('turns array holes into undefined', () => {
    const sparse: unknown[] = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const decoded = roundTrip(sparse) as unknown[];
    expect(decoded).toHaveLength(3);
    expect(1 in decoded).toBe(true);
    expect(decoded[1]).toBeUndefined();
  });

  it('skips symbol keys and non-enumerable properties of objects', () => {
    const value = { a: 1, [Symbol('s')]: 2 };
    Object.defineProperty(value, 'hidden', { value: 3, enumerable: false });
    expect(roundTrip(value)).toStrictEqual({ a: 1 });
  });

  it('sends null-prototype objects as plain maps', () => {
    const value = Object.assign(Object.create(null) as object, { a: 1 });
    const decoded = roundTrip(value);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toStrictEqual({ a: 1 });
  });

  it('decodes a Buffer to a plain Uint8Array and accepts a Buffer as input', () => {
    const decoded = codec.decode(Buffer.from(codec.encode(Buffer.from([1, 2, 3]))));
    expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype);
    expect(decoded).toStrictEqual(new Uint8Array([1, 2, 3]));
  });

  it('sends only the viewed part of a typed array over a larger buffer', () => {
    const backing = new Int16Array([1, 2, 3, 4, 5]);
    const view = new Int16Array(backing.buffer, 2, 3);
    const decoded = roundTrip(view) as Int16Array;
    expect([...decoded]).toStrictEqual([2, 3, 4]);
    expect(decoded.buffer.byteLength).toBe(6);
  });

  it('decodes typed arrays aligned, over a fresh buffer, even from an odd offset in the input', () => {
    const encoded = codec.encode(['x', new Float64Array([1.5, 2.5])]);
    const shifted = new Uint8Array(encoded.length + 1);
    shifted.set(encoded, 1);
    const [, decoded] = codec.decode(shifted.subarray(1)) as [string, Float64Array];
    expect(decoded.byteOffset).toBe(0);
    expect(decoded.buffer).not.toBe(shifted.buffer);
    expect([...decoded]).toStrictEqual([1.5, 2.5]);
  });

  it('never aliases the input: bin, ArrayBuffer and typed arrays are copies', () => {
    const input = codec.encode([new Uint8Array([1, 2]), new Uint8Array([3]).buffer, new Uint16Array([4])]);
    const [bin, buffer, u16] = codec.decode(input) as [Uint8Array, ArrayBuffer, Uint16Array];
    input.fill(0);
    expect([...bin]).toStrictEqual([1, 2]);
    expect([...new Uint8Array(buffer)]).toStrictEqual([3]);
    expect([...u16]).toStrictEqual([4]);
    expect(bin.buffer).not.toBe(input.buffer);
  });

  it('round-trips 1 MiB of binary exactly', () => {
    const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) & 0xff);
    const decoded = roundTrip(big) as Uint8Array;
    expect(Buffer.compare(decoded, big)).toBe(0);
  });

  it('returns a fresh Uint8Array the caller owns, exactly sized, from every encode', () => {
    const c = new ValueCodec();
    const first = c.encode([1, 2, 3]);
    const second = c.encode('other');
    expect(hex(first)).toBe('93010203');
    expect(first.buffer).not.toBe(second.buffer);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.length);
  });

  it('hands a large message out in its own buffer (no copy), never overwritten by a later encode', () => {
    const c = new ValueCodec();
    const large = c.encode(new Uint8Array(600_000).fill(7));
    expect(large.byteOffset).toBe(0);
    // The encode buffer itself: grown to what the value needed plus a little slack, not doubled.
    expect(large.buffer.byteLength).toBeGreaterThanOrEqual(large.length);
    expect(large.buffer.byteLength).toBeLessThan(large.length * 1.1);
    const snapshot = large.slice();
    const next = c.encode(new Uint8Array(700_000).fill(9));
    c.encode([1, 2, 3]);
    expect(next.buffer).not.toBe(large.buffer);
    expect(firstDifference(large, snapshot)).toBe('equal');
    expect(firstDifference(c.decode(large) as Uint8Array, new Uint8Array(600_000).fill(7))).toBe('equal');
  });

  it('decode copies binary values unless told it may adopt the input; then large ones are views', () => {
    const c = new ValueCodec();
    const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
    const small = new Uint8Array(1000).fill(3);
    const bytes = c.encode({ big, small });
    const copied = c.decode(bytes) as { big: Uint8Array; small: Uint8Array };
    expect(copied.big.buffer).not.toBe(bytes.buffer);
    expect(firstDifference(copied.big, big)).toBe('equal');
    const adopted = c.decode(bytes, { adopt: true }) as { big: Uint8Array; small: Uint8Array };
    expect(adopted.big.buffer).toBe(bytes.buffer);
    expect(firstDifference(adopted.big, big)).toBe('equal');
    // Small binary values are copied even then (a view would pin the whole message for a few bytes).
    expect(adopted.small.buffer).not.toBe(bytes.buffer);
    expect(adopted.small.byteLength).toBe(adopted.small.buffer.byteLength);
  });

  it('adopt: a large binary value that fills under half of its buffer is copied, not viewed', () => {
    const c = new ValueCodec();
    const encoded = c.encode(new Uint8Array(100_000).fill(5));
    const inside = new Uint8Array(encoded.length * 3);
    inside.set(encoded, 10);
    const value = c.decode(inside.subarray(10, 10 + encoded.length), { adopt: true }) as Uint8Array;
    expect(value.buffer).not.toBe(inside.buffer);
    expect(firstDifference(value, new Uint8Array(100_000).fill(5))).toBe('equal');
  });

  it('keeps working after a value larger than the retained buffer', () => {
    const c = new ValueCodec();
    expect((c.decode(c.encode(new Uint8Array(3 * 1024 * 1024))) as Uint8Array).length).toBe(3 * 1024 * 1024);
    expect(c.decode(c.encode({ small: true }))).toStrictEqual({ small: true });
  });

  it('keeps working after a failed encode', () => {
    const c = new ValueCodec();
    expect(() => c.encode([1, 2, { f: () => 1 }])).toThrow(SerializationError);
    expect(hex(c.encode([1, 2, 3]))).toBe('93010203');
  });

  it('sends class instances as plain objects of their own enumerable properties', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get length(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const decoded = roundTrip(new Point(3, 4));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toStrictEqual({ x: 3, y: 4 });
  });

  it('sends subclasses of Map, Set and Date as the base type', () => {
    class Registry extends Map<string, number> {}
    class Tags extends Set<string> {}
    class Stamp extends Date {}
    const [map, set, date] = roundTrip([
      new Registry([['a', 1]]),
      new Tags(['t']),
      new Stamp(5),
    ]) as unknown[];
    expect(map).toStrictEqual(new Map([['a', 1]]));
    expect(set).toStrictEqual(new Set(['t']));
    expect((date as Date).getTime()).toBe(5);
  });

  it('sends a SharedArrayBuffer as an ArrayBuffer copy', () => {
    const shared = new SharedArrayBuffer(2);
    new Uint8Array(shared).set([7, 8]);
    const decoded = roundTrip(shared);
    expect(decoded).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(decoded as ArrayBuffer)]).toStrictEqual([7, 8]);
  });

  it('decodes a msgpack map with a non-string key to a Map, keeping wire order', () => {
    // {"b": 1, "1": 2, 1: 3} as another implementation would send it
    const decoded = codec.decode(new Uint8Array([0x83, 0xa1, 0x62, 0x01, 0xa1, 0x31, 0x02, 0x01, 0x03]));
    expect(decoded).toBeInstanceOf(Map);
    expect([...(decoded as Map<unknown, unknown>)]).toStrictEqual([
      ['b', 1],
      ['1', 2],
      [1, 3],
    ]);
  });

  it('decodes a non-string-keyed map whose earlier values are containers, with duplicate keys', () => {
    // {"a": [1, {"x": 2}], "a": "again", 7: true}
    const bytes = new Uint8Array([
      0x83, 0xa1, 0x61, 0x92, 0x01, 0x81, 0xa1, 0x78, 0x02, 0xa1, 0x61, 0xa5, 0x61, 0x67, 0x61, 0x69, 0x6e,
      0x07, 0xc3,
    ]);
    expect([...(codec.decode(bytes) as Map<unknown, unknown>)]).toStrictEqual([
      ['a', 'again'],
      [7, true],
    ]);
  });
});

describe('ValueCodec encode errors', () => {
  it('names the path and says to use proxy() for a function', () => {
    const error = encodeError([1, 42, 'svc', 'method', ['x', { onProgress: () => undefined }]]);
    expect(error.code).toBe('SERIALIZATION_ERROR');
    expect(error.message).toBe(
      'cannot send a function (at value[4][1].onProgress): wrap it in proxy() to pass it by reference, or leave it out',
    );
  });

  it('quotes keys that are not identifiers, and names Map, Set and Error paths', () => {
    expect(encodeError({ 'a key': [Symbol('s')] }).message).toContain('(at value["a key"][0])');
    expect(encodeError(new Map([['k', () => 1]])).message).toContain('(at value.get("k"))');
    expect(encodeError(new Map([[() => 1, 1]])).message).toContain('(at value.keys()[0])');
    expect(encodeError(new Set([1, () => 1])).message).toContain('(at value.values()[1])');
    expect(encodeError(new Error('x', { cause: { f: () => 1 } })).message).toContain('(at value.cause.f)');
    const withProp = Object.assign(new Error('x'), { handler: () => 1 });
    expect(encodeError(withProp).message).toContain('(at value.handler)');
  });

  it.each<[string, unknown, string]>([
    ['a symbol', Symbol('s'), 'cannot send a symbol'],
    ['a WeakMap', new WeakMap(), 'cannot send a WeakMap'],
    ['a WeakSet', new WeakSet(), 'cannot send a WeakSet'],
    ['a Promise', Promise.resolve(1), 'cannot send a Promise (at value): await it'],
    ['a WeakRef', new WeakRef({}), 'cannot send a WeakRef'],
  ])('refuses %s with a clear message', (_name, value, message) => {
    expect(encodeError({ v: value }).message).toContain(message.replace('(at value)', '(at value.v)'));
  });

  it('refuses a marked object when no hook takes it', () => {
    const marked = { [extensionMarker]: true, a: 1 };
    expect(encodeError([marked]).message).toMatch(
      /^cannot send this object: it is marked .* \(at value\[0\]\)/,
    );
  });

  it('ignores a falsy marker and a marker that is only inherited', () => {
    expect(roundTrip({ [extensionMarker]: false, a: 1 })).toStrictEqual({ a: 1 });
    const inherited = Object.create({ [extensionMarker]: true }) as object;
    expect(roundTrip(inherited)).toStrictEqual({});
  });

  it('rejects a cyclic value fast with the depth error, not a stack overflow', () => {
    const cyclic: Record<string, unknown> = { name: 'root' };
    cyclic.self = { back: cyclic };
    const started = performance.now();
    const error = encodeError(cyclic);
    // A generous bound, not a figure (a loaded machine is slow): it catches walking the cycle for long.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(
      /^value is nested deeper than 256 levels or is cyclic \(at value\.self\.back\.self/,
    );
    expect(error.message.length).toBeLessThan(300);
  });

  it('rejects a cyclic array and a Map that contains itself', () => {
    const array: unknown[] = [];
    array.push(array);
    expect(encodeError(array).message).toContain('or is cyclic');
    const map = new Map<string, unknown>();
    map.set('me', map);
    expect(encodeError(map).message).toContain('or is cyclic');
  });

  it('wraps a throwing getter with the path and the cause', () => {
    const boom = new Error('getter failed');
    const value = {
      get bad(): never {
        throw boom;
      },
    };
    const error = encodeError({ outer: value });
    expect(error.message).toContain('(at value.outer.bad)');
    expect(error.message).toContain('Error: getter failed');
    expect(error.cause).toBe(boom);
  });
});

describe('ValueCodec depth limit', () => {
  function nestedArrays(levels: number): unknown {
    let value: unknown = 0;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  }

  it(`encodes and decodes ${DEFAULT_MAX_VALUE_DEPTH} nested arrays, and refuses one more`, () => {
    expect(roundTrip(nestedArrays(DEFAULT_MAX_VALUE_DEPTH))).toStrictEqual(
      nestedArrays(DEFAULT_MAX_VALUE_DEPTH),
    );
    expect(encodeError(nestedArrays(DEFAULT_MAX_VALUE_DEPTH + 1)).message).toContain(
      'nested deeper than 256 levels',
    );
  });

  it('honours a custom maxDepth on both sides', () => {
    const shallow = new ValueCodec({ maxDepth: 3 });
    expect(roundTrip(nestedArrays(3), shallow)).toStrictEqual(nestedArrays(3));
    expect(encodeError(nestedArrays(4), shallow).message).toContain('nested deeper than 3 levels');
    expect(() => shallow.decode(codec.encode(nestedArrays(4)))).toThrow(/nested deeper than 3 levels/);
  });

  it('counts ext containers the same way when encoding and decoding', () => {
    const shallow = new ValueCodec({ maxDepth: 4 });
    // Whatever the encoder accepts at a limit, the decoder with the same limit accepts too.
    for (const value of [
      new Map([[1, new Set([[1]])]]),
      new Set([new Map([[1, 2]])]),
      new Error('e', { cause: new Error('f') }),
      [new Error('e', { cause: [1] })],
      Object.assign(new Error('e'), { p: { q: [1] } }),
      new AggregateError([new Error('a')], 'agg'),
      [[/re/]],
    ]) {
      let bytes: Uint8Array;
      try {
        bytes = shallow.encode(value);
      } catch {
        continue;
      }
      expect(() => shallow.decode(bytes)).not.toThrow();
    }
  });

  it('validates options', () => {
    expect(() => new ValueCodec({ maxDepth: 0 })).toThrow(TetherError);
    expect(() => new ValueCodec({ maxDepth: 1.5 })).toThrow(/maxDepth must be an integer from 1/);
    expect(() => new ValueCodec({ maxDepth: MAX_VALUE_DEPTH_LIMIT + 1 })).toThrow(TetherError);
    expect(() => new ValueCodec({ hooks: { encode: 5 } as unknown as CodecHooks })).toThrow(/hooks.encode/);
    expect(new ValueCodec({ maxDepth: MAX_VALUE_DEPTH_LIMIT })).toBeInstanceOf(ValueCodec);
  });

  it(`handles the deepest allowed value (${MAX_VALUE_DEPTH_LIMIT}) without overflowing the stack`, () => {
    const deep = new ValueCodec({ maxDepth: MAX_VALUE_DEPTH_LIMIT });
    const value = nestedArrays(MAX_VALUE_DEPTH_LIMIT);
    expect(roundTrip(value, deep)).toStrictEqual(value);
    // A Map is two levels: the ext and its content array.
    let map: unknown = 1;
    for (let i = 0; i < MAX_VALUE_DEPTH_LIMIT / 2; i++) map = new Map([[0, map]]);
    assertSameAfterRoundTrip(roundTrip(map, deep), map);
    expect(() => deep.encode(new Map([[0, map]]))).toThrow(/nested deeper than 1024 levels/);
  });
});

describe('ValueCodec hooks (ext 16..63)', () => {
  class Handle {
    constructor(readonly id: number) {}
  }

  function rpcLikeHooks(): CodecHooks & { exported: unknown[] } {
    const exported: unknown[] = [];
    return {
      exported,
      encode(value: object): HookValue | undefined {
        if (typeof value === 'function') {
          exported.push(value);
          return { type: 16, payload: exported.length - 1 };
        }
        if (Object.hasOwn(value, extensionMarker)) {
          exported.push(value);
          return { type: 17, payload: [exported.length - 1, Object.keys(value)] };
        }
        if (value instanceof Handle) return { type: 63, payload: { id: value.id, at: new Date(0) } };
        return undefined;
      },
      decode(type: number, payload: unknown): unknown {
        if (type === 16) return { remoteFunction: payload };
        if (type === 17) return { remoteObject: payload };
        if (type === 63) return new Handle((payload as { id: number }).id);
        throw new Error(`unexpected ext ${type}`);
      },
    };
  }

  it('sends functions, marked objects and class instances through the hook and back', () => {
    const hooks = rpcLikeHooks();
    const c = new ValueCodec({ hooks });
    const fn = (): number => 1;
    const marked = { [extensionMarker]: true, greet: 'hi' };
    const decoded = c.decode(
      c.encode([fn, { nested: marked }, new Handle(7), new Map([['h', new Handle(8)]])]),
    );
    expect(hooks.exported).toStrictEqual([fn, marked]);
    expect(decoded).toStrictEqual([
      { remoteFunction: 0 },
      { nested: { remoteObject: [1, ['greet']] } },
      new Handle(7),
      new Map([['h', new Handle(8)]]),
    ]);
  });

  it('writes the hook payload as the ext content, in the smallest ext format', () => {
    const c = new ValueCodec({ hooks: { encode: () => ({ type: 16, payload: 5 }) } });
    expect(hex(c.encode(() => 1))).toBe('d41005');
    const big = new ValueCodec({ hooks: { encode: () => ({ type: 40, payload: 'x'.repeat(300) }) } });
    expect(hex(big.encode(() => 1)).slice(0, 10)).toBe('c8012f28da');
  });

  it('sends a class instance the hook declines as a plain object', () => {
    const c = new ValueCodec({ hooks: { encode: () => undefined } });
    expect(roundTrip(new Handle(3), c)).toStrictEqual({ id: 3 });
  });

  it('never asks the hook about plain objects, arrays or known types', () => {
    const seen: unknown[] = [];
    const c = new ValueCodec({
      hooks: {
        encode: (value) => {
          seen.push(value);
          return undefined;
        },
      },
    });
    c.encode([{ a: 1 }, [2], new Date(0), new Map(), new Set(), /x/, new Error('e'), new Uint8Array(1), 3n]);
    expect(seen).toStrictEqual([]);
  });

  it('refuses a function when the hook returns undefined', () => {
    const c = new ValueCodec({ hooks: { encode: () => undefined } });
    expect(encodeError({ cb: () => 1 }, c).message).toContain('cannot send a function (at value.cb)');
  });

  it('refuses an ext type outside 16..63 from the hook', () => {
    for (const type of [15, 64, 1.5, -1]) {
      const c = new ValueCodec({ hooks: { encode: () => ({ type, payload: null }) } });
      expect(encodeError([() => 1], c).message).toContain(
        `the codec hook returned an invalid ext type (${type})`,
      );
    }
  });

  it('wraps an error thrown by the encode hook, with the path and the cause', () => {
    const boom = new Error('reference table full');
    const c = new ValueCodec({
      hooks: {
        encode: () => {
          throw boom;
        },
      },
    });
    const error = encodeError({ a: [() => 1] }, c);
    expect(error.message).toBe(
      'the codec hook failed to encode a value (at value.a[0]): reference table full',
    );
    expect(error.cause).toBe(boom);
  });

  it('wraps an error thrown by the decode hook in a SerializationError with the cause', () => {
    const boom = new TypeError('unknown reference 9');
    const c = new ValueCodec({
      hooks: {
        encode: () => ({ type: 16, payload: 9 }),
        decode: () => {
          throw boom;
        },
      },
    });
    const bytes = c.encode(() => 1);
    expect(() => c.decode(bytes)).toThrow(SerializationError);
    try {
      c.decode(bytes);
    } catch (error) {
      expect((error as SerializationError).message).toContain('the codec hook failed to decode ext type 16');
      expect((error as SerializationError).cause).toBe(boom);
    }
  });

  it('fails to decode a hook ext type when no decode hook is installed', () => {
    const sender = new ValueCodec({ hooks: { encode: () => ({ type: 20, payload: 1 }) } });
    expect(() => codec.decode(sender.encode(() => 1))).toThrow(
      /ext type 20 needs a codec hook and none is installed/,
    );
  });

  it('lets hooks encode and decode re-entrantly on the same codec', () => {
    let c: ValueCodec | undefined = undefined;
    const hooks: CodecHooks = {
      encode: (value) =>
        typeof value === 'function' ? { type: 30, payload: c!.encode({ inner: 'bytes' }) } : undefined,
      decode: (_type, payload) => ({ unwrapped: c!.decode(payload as Uint8Array) }),
    };
    c = new ValueCodec({ hooks });
    expect(c.decode(c.encode(['before', () => 1, 'after']))).toStrictEqual([
      'before',
      { unwrapped: { inner: 'bytes' } },
      'after',
    ]);
  });
});
