// The JSON form of the values `tether run --call` and `tether exec` take as arguments and print with --json.
// JSON has no Map, Set, Date, bytes or BigInt, which Tether calls carry: an object with exactly one key, a
// tag below, stands for such a value, the same way in and out, so what --json prints can be fed back.
import { didYouMean } from '../manifest/did-you-mean.js';

/**
 * The tags, each with the form it takes (help.ts and the README show the same table):
 *   {"$map": [[key, value], ...]}     a Map (keys and values in this same form)
 *   {"$set": [item, ...]}             a Set
 *   {"$date": "2024-05-01T10:00:00.000Z"}  a Date (ISO 8601; null: an invalid Date)
 *   {"$bytes": "aGVsbG8="}            a Uint8Array (standard base64)
 *   {"$bigint": "-12345678901234567890"}   a BigInt (its decimal digits)
 *   {"$object": {...}}                a plain object taken as it is: for one whose only key starts with "$"
 */
export const jsonTags = ['$map', '$set', '$date', '$bytes', '$bigint', '$object'] as const;
type JsonTag = (typeof jsonTags)[number];

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const bigintPattern = /^-?\d+$/;
/** The fields of an Error printed first, in this order, rather than among its own fields. */
const errorOwnFields = new Set(['name', 'code', 'message', 'stack', 'cause', 'remoteStack']);

/**
 * Rebuilds the values a parsed JSON value stands for: each tagged object becomes its Map, Set, Date,
 * Uint8Array or BigInt, at any depth. `fail(path, problem)` is called (and must throw) for a tag that is
 * malformed or unknown; `path` says where in the value, like `.when` or `[1][0]` (empty at the top).
 */
export function fromTaggedJson(value: unknown, fail: (path: string, problem: string) => never): unknown {
  return decode(value, '', fail);
}

function decode(value: unknown, path: string, fail: (path: string, problem: string) => never): unknown {
  if (Array.isArray(value)) return value.map((item, index) => decode(item, `${path}[${index}]`, fail));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const [tag] = keys;
  if (keys.length !== 1 || tag === undefined || !tag.startsWith('$')) return decodeObject(value, path, fail);
  const content = (value as Record<string, unknown>)[tag];
  const at = `${path}.${tag}`;
  const problem = (text: string): never => fail(path, `${JSON.stringify(tag)} ${text}`);
  switch (tag as JsonTag) {
    case '$map': {
      const isEntry = (entry: unknown): entry is [unknown, unknown] =>
        Array.isArray(entry) && entry.length === 2;
      if (!Array.isArray(content) || !content.every(isEntry))
        problem('needs an array of [key, value] pairs, like {"$map": [["a", 1], ["b", 2]]}');
      return new Map(
        (content as [unknown, unknown][]).map(([key, item], index) => [
          decode(key, `${at}[${index}][0]`, fail),
          decode(item, `${at}[${index}][1]`, fail),
        ]),
      );
    }
    case '$set':
      if (!Array.isArray(content)) problem('needs an array of the items, like {"$set": [1, 2]}');
      return new Set((content as unknown[]).map((item, index) => decode(item, `${at}[${index}]`, fail)));
    case '$date': {
      if (content === null) return new Date(Number.NaN);
      const date = typeof content === 'string' ? new Date(content) : undefined;
      if (date === undefined || Number.isNaN(date.getTime()))
        problem(
          `needs a date in ISO 8601, like {"$date": "2024-05-01T10:00:00Z"}; got ${JSON.stringify(content)}`,
        );
      return date;
    }
    case '$bytes':
      if (typeof content !== 'string' || !base64Pattern.test(content))
        problem(
          `needs the bytes in standard base64, like {"$bytes": "aGVsbG8="}; got ${JSON.stringify(content)}`,
        );
      return new Uint8Array(Buffer.from(content as string, 'base64'));
    case '$bigint':
      if (typeof content !== 'string' || !bigintPattern.test(content))
        problem(
          `needs the number's decimal digits as a string, like {"$bigint": "-42"}; got ${JSON.stringify(content)}`,
        );
      return BigInt(content as string);
    case '$object':
      if (content === null || typeof content !== 'object' || Array.isArray(content))
        problem('needs an object, like {"$object": {"$ref": "taken as it is"}}');
      return decodeObject(content as object, at, fail);
    default:
      return fail(
        path,
        `unknown tag ${JSON.stringify(tag)}${didYouMean(tag, jsonTags)}; the tags are ${jsonTags.join(', ')}. For an object whose one key starts with "$", write {"$object": {...}}`,
      );
  }
}

function decodeObject(value: object, path: string, fail: (path: string, problem: string) => never): object {
  // fromEntries defines own properties: a "__proto__" key stays a key, never the prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, decode(item, `${path}.${key}`, fail)]),
  );
}

/**
 * `value` as one line of JSON in the tagged form (Map, Set, Date, Uint8Array, BigInt tagged; a plain object
 * whose only key starts with "$" wrapped in $object). Other typed arrays and ArrayBuffers print as their
 * bytes; an Error as {name, code, message, its own fields, cause}; a repeated reference on the same path as
 * "[Circular]"; `undefined` (a method that returns nothing) as null; the rest as JSON.stringify does.
 */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(encode(value, [])) ?? 'null';
}

/** `value` with every value JSON cannot hold replaced by its tagged form (see toTaggedJson). */
export function encodeTagged(value: unknown): unknown {
  return encode(value, []);
}

function encode(value: unknown, parents: object[]): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (parents.includes(value)) return '[Circular]';
  const inner = (item: unknown): unknown => encode(item, [...parents, value]);
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (ArrayBuffer.isView(value))
    return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Map) return { $map: [...(value as Map<unknown, unknown>)].map((e) => e.map(inner)) };
  if (value instanceof Set) return { $set: [...(value as Set<unknown>)].map(inner) };
  if (Array.isArray(value)) return value.map(inner);
  if (value instanceof Error) return encodeError(value, inner);
  const entries = Object.entries(value).map(([key, item]) => [key, inner(item)] as const);
  const object = Object.fromEntries(entries);
  return entries.length === 1 && entries[0]![0].startsWith('$') ? { $object: object } : object;
}

function encodeError(error: Error, inner: (item: unknown) => unknown): Record<string, unknown> {
  const { code } = error as { code?: unknown };
  const fields = Object.entries(error).filter(([key]) => !errorOwnFields.has(key));
  return Object.fromEntries([
    ['name', error.name],
    ...(code === undefined ? [] : [['code', inner(code)]]),
    ['message', error.message],
    ...fields.map(([key, item]) => [key, inner(item)]),
    ...(error.cause === undefined ? [] : [['cause', inner(error.cause)]]),
  ]) as Record<string, unknown>;
}
