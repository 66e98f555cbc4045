import { describe, expect, it } from 'vitest';
import { SerializationError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import { assertSameAfterRoundTrip } from './test-fixtures/codec-assertions.js';
import { ValueCodec } from './value-codec.js';

const codec = new ValueCodec();
const roundTrip = <T>(value: T): T => codec.decode(codec.encode(value)) as T;

/** Encodes an Error ext whose content map is `content` (as another implementation might send it). */
function errorExt(content: unknown): Uint8Array {
  const bytes = codec.encode(content);
  const out = new Uint8Array(6 + bytes.length);
  out.set([0xc9, 0, 0, 0, 0, 8]);
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(bytes, 6);
  return out;
}

describe('Error (ext 8)', () => {
  it('keeps name, message and the remote stack as-is', () => {
    const original = new Error('it broke');
    const decoded = roundTrip(original);
    expect(decoded).toBeInstanceOf(Error);
    expect(decoded.name).toBe('Error');
    expect(decoded.message).toBe('it broke');
    expect(decoded.stack).toBe(original.stack);
    assertSameAfterRoundTrip(decoded, original);
  });

  it.each([EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError])(
    'rebuilds a %o with its built-in constructor',
    (ctor) => {
      const decoded = roundTrip(new ctor('m'));
      expect(decoded).toBeInstanceOf(ctor);
      expect(decoded.name).toBe(ctor.name);
      expect(Object.hasOwn(decoded, 'name')).toBe(false);
    },
  );

  it('rebuilds an AggregateError with its errors', () => {
    const original = new AggregateError([new TypeError('a'), 'plain', { x: 1 }], 'several');
    const decoded = roundTrip(original);
    expect(decoded).toBeInstanceOf(AggregateError);
    expect(decoded.errors[0]).toBeInstanceOf(TypeError);
    assertSameAfterRoundTrip(decoded, original);
  });

  it('keeps a custom name on a plain Error (no peer-named constructor is ever called)', () => {
    class ValidationError extends Error {
      override name = 'ValidationError';
    }
    const decoded = roundTrip(new ValidationError('bad input'));
    expect(Object.getPrototypeOf(decoded)).toBe(Error.prototype);
    expect(decoded.name).toBe('ValidationError');
    expect(String(decoded)).toBe('ValidationError: bad input');
  });

  it('carries code, cause and custom props such as status and path', () => {
    const original = Object.assign(new Error('not found', { cause: 'disk' }), {
      code: 'ENOENT',
      status: 404,
      path: ['a', 'b'],
      details: new Map([['k', new Set([1n])]]),
    });
    const decoded = roundTrip(original);
    expect(decoded.code).toBe('ENOENT');
    expect(decoded.cause).toBe('disk');
    expect(decoded.status).toBe(404);
    expect(decoded.path).toStrictEqual(['a', 'b']);
    expect(decoded.details).toStrictEqual(new Map([['k', new Set([1n])]]));
    expect(Object.keys(decoded).sort()).toStrictEqual(['code', 'details', 'path', 'status']);
    assertSameAfterRoundTrip(decoded, original);
  });

  it('round-trips a Map in a Set in an Error cause chain', () => {
    const original = new Error('outer', {
      cause: new TypeError('middle', {
        cause: new AggregateError([
          new RangeError('leaf', { cause: new Set([new Map([[{ k: 1 }, [new Date(3)]]])]) }),
        ]),
      }),
    });
    const decoded = roundTrip(original);
    const leaf = ((decoded.cause as Error).cause as AggregateError).errors[0] as RangeError;
    expect(leaf).toBeInstanceOf(RangeError);
    expect(leaf.cause).toStrictEqual(new Set([new Map([[{ k: 1 }, [new Date(3)]]])]));
    assertSameAfterRoundTrip(decoded, original);
  });

  it('keeps an explicit undefined cause, and no cause when there was none', () => {
    expect(Object.hasOwn(roundTrip(new Error('a', { cause: undefined })), 'cause')).toBe(true);
    expect(Object.hasOwn(roundTrip(new Error('a')), 'cause')).toBe(false);
  });

  it('sends a TetherError as name, message and code', () => {
    const decoded = roundTrip(new SerializationError('cannot send x')) as Error & { code?: unknown };
    expect(decoded.name).toBe('SerializationError');
    expect(decoded.code).toBe('SERIALIZATION_ERROR');
    expect(decoded).not.toBeInstanceOf(TetherError); // rebuilding typed errors is the RPC layer's job
  });

  it('gives an error without a stack the stack "name: message", not the decoder’s frames', () => {
    const original = new TypeError('no frames');
    delete original.stack;
    expect(roundTrip(original).stack).toBe('TypeError: no frames');
  });

  it('keeps props named like Object.prototype members as own data properties', () => {
    const original = Object.assign(new Error('x'), { constructor: 'c', toString: 's' });
    Object.defineProperty(original, '__proto__', { value: { evil: true }, enumerable: true });
    const decoded = roundTrip(original) as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Error.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toStrictEqual({ evil: true });
    expect(decoded.constructor).toBe('c');
    expect(decoded.toString).toBe('s');
    expect('evil' in {}).toBe(false);
  });

  it.each([
    ['a constructor the peer names', { name: 'Function', message: 'alert(1)' }, Error],
    ['__proto__ as a name', { name: '__proto__', message: 'x' }, Error],
    ['constructor as a name', { name: 'constructor', message: 'x' }, Error],
    ['a built-in', { name: 'TypeError', message: 'x' }, TypeError],
  ])('only ever calls built-in constructors: %s', (_name, content, ctor) => {
    const decoded = codec.decode(errorExt(content)) as Error;
    expect(Object.getPrototypeOf(decoded)).toBe(ctor.prototype);
    expect(decoded.name).toBe(content.name);
  });

  it('ignores unknown keys in the content map (forward compatibility)', () => {
    const decoded = codec.decode(errorExt({ name: 'Error', message: 'x', future: 1 })) as Error;
    expect(decoded.message).toBe('x');
    expect(Object.hasOwn(decoded, 'future')).toBe(false);
  });

  it.each<[string, unknown]>([
    ['content that is not a map', ['Error', 'x']],
    ['content with non-string keys', new Map([[1, 'x']])],
    ['a missing name', { message: 'x' }],
    ['a name that is not a string', { name: 1, message: 'x' }],
    ['a missing message', { name: 'Error' }],
    ['a stack that is not a string', { name: 'Error', message: 'x', stack: 5 }],
    ['errors that are not an array', { name: 'AggregateError', message: 'x', errors: 'no' }],
    ['props that are not a map', { name: 'Error', message: 'x', props: [1] }],
  ])('refuses %s with SerializationError', (_name, content) => {
    expect(() => codec.decode(errorExt(content))).toThrow(SerializationError);
  });

  it('does not leave Error.stackTraceLimit changed', () => {
    const before = Error.stackTraceLimit;
    roundTrip(new Error('x'));
    expect(Error.stackTraceLimit).toBe(before);
  });
});
