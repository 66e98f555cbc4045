// Assertions shared by the codec's tests (test-fixtures/: not part of the build).
import { isDeepStrictEqual, inspect } from 'node:util';

/** Lowercase hex of bytes, for byte-exact assertions. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes from hex, spaces allowed. */
export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/**
 * What a value looks like after a round trip, in a form `isDeepStrictEqual` compares exactly: holes
 * become undefined, Buffers become Uint8Arrays, null-prototype objects become plain ones, and Errors,
 * Dates and RegExps become tagged records of what the codec carries.
 */
export function canonical(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Array.from(value as unknown[], canonical);
  if (value instanceof Error) {
    const record: Record<string, unknown> = {
      '#error': value.name,
      message: value.message,
      stack: value.stack,
    };
    const fields = value as unknown as Record<string, unknown>;
    if (fields.code !== undefined) record.code = canonical(fields.code);
    if (Object.hasOwn(value, 'cause')) record.cause = canonical(value.cause);
    if (Array.isArray(fields.errors)) record.errors = canonical(fields.errors);
    for (const key of Object.keys(value)) {
      if (!['name', 'message', 'stack', 'code', 'cause', 'errors'].includes(key)) {
        define(record, `prop:${key}`, canonical(fields[key]));
      }
    }
    return record;
  }
  if (value instanceof Date) return { '#date': value.getTime() };
  if (value instanceof RegExp) return { '#regexp': [value.source, value.flags] };
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [canonical(k), canonical(v)]));
  if (value instanceof Set) return new Set([...value].map(canonical));
  if (value instanceof DataView)
    return { '#dataview': new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  if (Buffer.isBuffer(value)) return new Uint8Array(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    define(record, key, canonical((value as Record<string, unknown>)[key]));
  return record;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Throws with both sides printed unless `actual` is what a round trip of `expected` should give. */
export function assertSameAfterRoundTrip(actual: unknown, expected: unknown): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (!isDeepStrictEqual(a, e)) {
    throw new Error(
      `round trip changed the value:\n  got:      ${inspect(a, { depth: 8 })}\n  expected: ${inspect(e, { depth: 8 })}`,
    );
  }
}
