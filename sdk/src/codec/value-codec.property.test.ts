import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SerializationError } from '../errors/errors.js';
import type { CodecHooks } from './codec-types.js';
import { assertSameAfterRoundTrip } from './test-fixtures/codec-assertions.js';
import { ValueCodec } from './value-codec.js';

const codec = new ValueCodec();

/** Object keys, with the ones that bite (prototype members, integer-like, empty) over-represented. */
const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '0',
    '1',
    '4294967295',
    '',
  ),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

function objectFrom(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(record, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
  return record;
}

const typedArray = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.int8Array({ maxLength: 8 }),
  fc.uint8ClampedArray({ maxLength: 8 }),
  fc.int16Array({ maxLength: 8 }),
  fc.uint16Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 8 }),
  fc.uint32Array({ maxLength: 8 }),
  fc.float32Array({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  fc.bigInt64Array({ maxLength: 4 }),
  fc.bigUint64Array({ maxLength: 4 }),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => new DataView(bytes.buffer)),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => bytes.buffer),
);

const leaf = fc.oneof(
  fc.constantFrom(null, undefined, true, false, -0, 0, NaN, Infinity, -Infinity),
  fc.integer(),
  fc.maxSafeInteger(),
  fc
    .integer({ min: -1, max: 1 })
    .chain((sign) =>
      fc
        .constantFrom(127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53)
        .map((n) => n * sign),
    ),
  fc.double(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.date(), // includes Invalid Date
  typedArray,
  fc.constantFrom(/a+b/g, /^x$/imsu, new RegExp('(?<y>\\d)', 'dy')),
);

const { value } = fc.letrec<{
  value: unknown;
  array: unknown[];
  object: Record<string, unknown>;
  map: Map<unknown, unknown>;
  set: Set<unknown>;
  error: Error;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('array'),
    tie('object'),
    tie('map'),
    tie('set'),
    tie('error'),
  ),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map(objectFrom),
  map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
  set: fc.array(tie('value'), { maxLength: 4 }).map((items) => new Set(items)),
  error: fc
    .record(
      {
        ctor: fc.constantFrom(Error, TypeError, RangeError, SyntaxError, URIError, EvalError, ReferenceError),
        message: fc.string(),
        name: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
        cause: tie('value'),
        code: tie('value'),
        props: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), tie('value')), { maxLength: 3 }),
        aggregate: fc.array(tie('value'), { maxLength: 3 }),
      },
      { requiredKeys: ['ctor', 'message'] },
    )
    .map(({ ctor, message, name, cause, code, props, aggregate }) => {
      const error = aggregate !== undefined ? new AggregateError(aggregate, message) : new ctor(message);
      if (name !== undefined) error.name = name;
      if (cause !== undefined) error.cause = cause;
      if (code !== undefined) Object.assign(error, { code });
      for (const [k, v] of props ?? []) {
        if (!['name', 'message', 'stack', 'code', 'cause', 'errors'].includes(k)) {
          Object.defineProperty(error, k, { value: v, writable: true, enumerable: true, configurable: true });
        }
      }
      return error;
    }),
}));

describe('ValueCodec properties', () => {
  it('round-trips random structured values deep-equal', () => {
    fc.assert(
      fc.property(value, (v) => {
        assertSameAfterRoundTrip(codec.decode(codec.encode(v)), v);
      }),
      { numRuns: 1500 },
    );
  });

  it('round-trips fc.anything values', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withUnicodeString: true,
      withObjectString: true,
      maxDepth: 4,
    });
    fc.assert(
      fc.property(anything, (v) => {
        assertSameAfterRoundTrip(codec.decode(codec.encode(v)), v);
      }),
      { numRuns: 1000 },
    );
  });

  it('encodes the same value to the same bytes every time (the buffer is reused cleanly)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 2, maxLength: 4 }), (values) => {
        const first = values.map((v) => codec.encode(v));
        const again = values.map((v) => codec.encode(v));
        again.forEach((bytes, i) => expect(Buffer.compare(bytes, first[i]!)).toBe(0));
      }),
      { numRuns: 300 },
    );
  });

  it('whatever the encoder accepts at a depth limit, the decoder with the same limit accepts', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 5 }), (v, maxDepth) => {
        const limited = new ValueCodec({ maxDepth });
        let bytes: Uint8Array;
        try {
          bytes = limited.encode(v);
        } catch (error) {
          expect(error).toBeInstanceOf(SerializationError);
          return;
        }
        assertSameAfterRoundTrip(limited.decode(bytes), v);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ValueCodec decode robustness', () => {
  const hooks: CodecHooks = { decode: (type, payload) => ({ type, payload }) };
  const withHooks = new ValueCodec({ hooks });

  function decodesOrThrowsSerializationError(c: ValueCodec, bytes: Uint8Array): void {
    try {
      c.decode(bytes);
    } catch (error) {
      if (!(error instanceof SerializationError)) {
        throw new Error(`decode threw ${String(error)} for ${Buffer.from(bytes).toString('hex')}`, {
          cause: error,
        });
      }
    }
  }

  it('random bytes only ever decode or throw SerializationError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        decodesOrThrowsSerializationError(codec, bytes);
        decodesOrThrowsSerializationError(withHooks, bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('random bytes behind every header byte only ever decode or throw SerializationError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }), (head, rest) => {
        const bytes = new Uint8Array([head, ...rest]);
        decodesOrThrowsSerializationError(codec, bytes);
        decodesOrThrowsSerializationError(withHooks, bytes);
      }),
      { numRuns: 5000 },
    );
  });

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );

  it('mutated valid encodings only ever decode or throw SerializationError', () => {
    fc.assert(
      fc.property(value, fc.array(mutation, { minLength: 1, maxLength: 4 }), (v, mutations) => {
        const bytes = [...codec.encode(v)];
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.kind === 'set') bytes[at] = m.byte;
          else if (m.kind === 'flip') bytes[at] = (bytes[at] ?? 0) ^ (1 << m.bit);
          else if (m.kind === 'insert') bytes.splice(at, 0, m.byte);
          else if (m.kind === 'delete') bytes.splice(at, 1);
          else bytes.length = at;
        }
        const mutated = new Uint8Array(bytes);
        decodesOrThrowsSerializationError(codec, mutated);
        decodesOrThrowsSerializationError(withHooks, mutated);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves Object.prototype untouched, whatever it decodes', () => {
    const before = Reflect.ownKeys(Object.prototype);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        try {
          codec.decode(bytes);
        } catch {
          // only the prototype matters here
        }
      }),
      { numRuns: 2000 },
    );
    expect(Reflect.ownKeys(Object.prototype)).toStrictEqual(before);
  });
});
