/**
 * Ext 8 (Error): what of an Error crosses the wire, and how it is rebuilt. The content is a msgpack map
 * with `name` and `message` (strings), and optionally `stack` (string), `code` (any), `cause` (any),
 * `errors` (array, AggregateError) and `props` (map of the other own enumerable properties).
 */
import { SerializationError } from '../errors/errors.js';

/** Keys of the content map that are never repeated inside `props`. */
const reservedKeys: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'code', 'cause']);

/** The fields of an Error to send. */
export interface ErrorFields {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly hasCode: boolean;
  readonly code: unknown;
  readonly hasCause: boolean;
  readonly cause: unknown;
  readonly errors: readonly unknown[] | undefined;
  /** Own enumerable string keys sent in `props`. */
  readonly propKeys: readonly string[];
  /** Entries of the content map. */
  readonly entryCount: number;
}

function text(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return fallback;
}

export function errorFields(error: Error): ErrorFields {
  const record = error as unknown as Record<string, unknown>;
  const name = text(record.name, 'Error');
  const message = text(record.message, '');
  const stack = typeof record.stack === 'string' ? record.stack : undefined;
  const code = record.code;
  const hasCode = code !== undefined;
  const hasCause = Object.hasOwn(error, 'cause');
  const cause = hasCause ? record.cause : undefined;
  const errors = Object.hasOwn(error, 'errors') && Array.isArray(record.errors) ? record.errors : undefined;
  const propKeys = Object.keys(error).filter(
    (key) => !reservedKeys.has(key) && !(key === 'errors' && errors !== undefined),
  );
  const entryCount =
    2 +
    (stack === undefined ? 0 : 1) +
    (hasCode ? 1 : 0) +
    (hasCause ? 1 : 0) +
    (errors === undefined ? 0 : 1) +
    (propKeys.length === 0 ? 0 : 1);
  return { name, message, stack, hasCode, code, hasCause, cause, errors, propKeys, entryCount };
}

/** Built-in constructors an Error may be rebuilt with, by name. No other constructor is ever called. */
const builtinErrors: ReadonlyMap<string, new (message?: string) => Error> = new Map<
  string,
  new (message?: string) => Error
>([
  ['Error', Error],
  ['EvalError', EvalError],
  ['RangeError', RangeError],
  ['ReferenceError', ReferenceError],
  ['SyntaxError', SyntaxError],
  ['TypeError', TypeError],
  ['URIError', URIError],
]);

function invalid(detail: string): SerializationError {
  return new SerializationError(
    `cannot decode an Error (ext 8): ${detail}; the peer does not follow Tether's wire protocol (docs/protocol.md)`,
  );
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable, configurable: true });
}

/**
 * Rebuilds an Error from the decoded content map. Unknown keys are ignored (forward compatibility).
 * The local stack is never captured: the error carries the remote `stack` as-is, or `name: message`.
 */
export function rebuildError(content: unknown): Error {
  if (!isPlainRecord(content)) throw invalid('the content is not a map with string keys');
  const name = Object.hasOwn(content, 'name') ? content.name : undefined;
  const message = Object.hasOwn(content, 'message') ? content.message : undefined;
  if (typeof name !== 'string') throw invalid('"name" is missing or not a string');
  if (typeof message !== 'string') throw invalid('"message" is missing or not a string');
  const stack = Object.hasOwn(content, 'stack') ? content.stack : undefined;
  if (stack !== undefined && typeof stack !== 'string') throw invalid('"stack" is not a string');
  const errors = Object.hasOwn(content, 'errors') ? content.errors : undefined;
  if (errors !== undefined && !Array.isArray(errors)) throw invalid('"errors" is not an array');
  const props = Object.hasOwn(content, 'props') ? content.props : undefined;
  if (props !== undefined && !isPlainRecord(props)) throw invalid('"props" is not a map with string keys');

  const error = withoutStackCapture(() =>
    name === 'AggregateError'
      ? new AggregateError((errors as unknown[] | undefined) ?? [], message)
      : new (builtinErrors.get(name) ?? Error)(message),
  );
  if (error.name !== name) define(error, 'name', name, false);
  define(error, 'stack', stack ?? `${name}: ${message}`, false);
  if (Object.hasOwn(content, 'code')) define(error, 'code', content.code, true);
  if (Object.hasOwn(content, 'cause')) define(error, 'cause', content.cause, false);
  if (errors !== undefined && name !== 'AggregateError') define(error, 'errors', errors, false);
  if (props !== undefined) for (const key of Object.keys(props)) define(error, key, props[key], true);
  return error;
}

/** Constructs an Error without paying for (and leaking) a stack trace of the decoder. */
function withoutStackCapture(create: () => Error): Error {
  const saved = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    return create(); // frozen intrinsics: capture it and overwrite it
  }
  try {
    return create();
  } finally {
    Error.stackTraceLimit = saved;
  }
}
