// Log records on the wire (protocol.md 5.4): one record ↔ a map {t,l,s,m,f?,e?}; one message ↔ [records, suppressed].
import { inspect } from 'node:util';
import { ValueCodec } from '../codec/index.js';
import { LOG_MESSAGE_MAX_BYTES, LOG_RECORD_MAX_BYTES } from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import { logLevels, type LogLevel, type LogRecord } from './log-record.js';

/** An error attached to a record, as plain data. */
export type LogRecordError = NonNullable<LogRecord['error']>;

const codec = new ValueCodec();
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Caps `text` at `maxBytes` UTF-8 bytes: a longer text keeps its head and ends with "…(truncated N bytes)".
 * Cheap for short strings (no encoding unless the string could be over the cap).
 */
export function capText(text: string, maxBytes = LOG_MESSAGE_MAX_BYTES): string {
  if (text.length * 3 <= maxBytes) return text;
  const bytes = utf8.encode(text);
  if (bytes.byteLength <= maxBytes) return text;
  let head = utf8Decoder.decode(bytes.subarray(0, maxBytes));
  if (head.endsWith('\uFFFD')) head = head.slice(0, -1); // a character cut in half
  return `${head}…(truncated ${bytes.byteLength - utf8.encode(head).byteLength} bytes)`;
}

/** The error of a record from anything thrown: name, message, stack and code (each capped). */
export function toLogRecordError(error: unknown): LogRecordError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: capText(String(error.name)),
      message: capText(String(error.message)),
      ...(typeof error.stack === 'string' ? { stack: capText(error.stack) } : {}),
      ...(code === undefined ? {} : { code: encodable(code) ? code : describe(code) }),
    };
  }
  return { name: 'NonError', message: capText(describe(error)) };
}

/**
 * Encodes one record as its wire map. Never throws for the record's contents: values the codec cannot
 * encode (functions, symbols, cycles, sockets…) are replaced by a string describing them, and fields whose
 * encoding exceeds {@link LOG_RECORD_MAX_BYTES} are replaced by one field saying so.
 */
export function encodeLogRecord(record: LogRecord): Uint8Array {
  const wire: Record<string, unknown> = {
    t: record.time,
    l: record.level,
    s: record.scope,
    m: capText(record.message),
  };
  if (record.error !== undefined) wire.e = record.error;
  if (record.fields !== undefined) wire.f = record.fields;
  let bytes: Uint8Array;
  try {
    bytes = codec.encode(wire);
  } catch {
    if (record.fields !== undefined) wire.f = sanitize(record.fields, 0, new Set());
    if (record.error !== undefined) wire.e = sanitize(record.error, 0, new Set());
    bytes = codec.encode(wire);
  }
  if (bytes.byteLength > LOG_RECORD_MAX_BYTES && record.fields !== undefined) {
    wire.f = {
      _omitted: `the fields of this record were ${bytes.byteLength} bytes encoded, over the limit of ${LOG_RECORD_MAX_BYTES}; log less data per record`,
    };
    bytes = codec.encode(wire);
  }
  return bytes;
}

/** Joins encoded records (from {@link encodeLogRecord}) into one `[records, suppressed]` message. */
export function assembleLogBatch(records: readonly Uint8Array[], suppressed: number): Uint8Array {
  const n = records.length;
  const header = n < 16 ? 2 : n < 0x10000 ? 4 : 6;
  const tail = codec.encode(suppressed);
  let size = header + tail.byteLength;
  for (const record of records) size += record.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x92; // fixarray of 2
  if (n < 16) out[1] = 0x90 | n;
  else if (n < 0x10000) {
    out[1] = 0xdc;
    view.setUint16(2, n);
  } else {
    out[1] = 0xdd;
    view.setUint32(2, n);
  }
  let pos = header;
  for (const record of records) {
    out.set(record, pos);
    pos += record.byteLength;
  }
  out.set(tail, pos);
  return out;
}

/** Encodes one `tether.logs` message. */
export function encodeLogBatch(records: readonly LogRecord[], suppressed = 0): Uint8Array {
  return assembleLogBatch(records.map(encodeLogRecord), suppressed);
}

/**
 * Decodes one `tether.logs` message (the host's side). Throws TetherError('PROTOCOL_ERROR') for a message
 * that is not `[records, suppressed]` or a record without its required keys.
 */
export function decodeLogBatch(bytes: Uint8Array): { records: LogRecord[]; suppressed: number } {
  const value = codec.decode(bytes);
  if (!Array.isArray(value) || value.length !== 2 || !Array.isArray(value[0])) {
    bad('a message is not [records, suppressed]');
  }
  const suppressed: unknown = value[1];
  if (typeof suppressed !== 'number' || !Number.isInteger(suppressed) || suppressed < 0) {
    bad('suppressed is not a non-negative integer');
  }
  return { records: (value[0] as unknown[]).map(decodeRecord), suppressed };
}

function decodeRecord(value: unknown, index: number): LogRecord {
  if (typeof value !== 'object' || value === null || value instanceof Map || Array.isArray(value)) {
    bad(`record ${index} is not a map`);
  }
  const { t, l, s, m, f, e } = value as Record<string, unknown>;
  if (typeof t !== 'number') bad(`record ${index} has no time (t)`);
  if (typeof l !== 'string' || !(logLevels as readonly string[]).includes(l))
    bad(`record ${index} has no valid level (l)`);
  if (typeof s !== 'string') bad(`record ${index} has no scope (s)`);
  if (typeof m !== 'string') bad(`record ${index} has no message (m)`);
  const record: { -readonly [K in keyof LogRecord]: LogRecord[K] } = {
    time: t,
    level: l as LogLevel,
    scope: s,
    message: m,
  };
  if (f !== undefined) {
    if (typeof f !== 'object' || f === null || f instanceof Map || Array.isArray(f))
      bad(`record ${index} has fields (f) that are not a map`);
    record.fields = f as Record<string, unknown>;
  }
  if (e !== undefined) record.error = decodeError(e, index);
  return record;
}

function decodeError(e: unknown, index: number): LogRecordError {
  if (e instanceof Error) return toLogRecordError(e); // ext 8
  if (typeof e !== 'object' || e === null) bad(`record ${index} has an error (e) that is not a map`);
  const { name, message, stack, code } = e as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : '',
    ...(typeof stack === 'string' ? { stack } : {}),
    ...(code === undefined ? {} : { code }),
  };
}

function bad(what: string): never {
  throw new TetherError(
    'PROTOCOL_ERROR',
    `The plugin sent a malformed log message on tether.logs: ${what} (protocol.md 5.4).`,
  );
}

// ── values the codec cannot encode ─────────────────────────────────────────────────────────────────

const MAX_SANITIZE_DEPTH = 16;

function encodable(value: unknown): boolean {
  try {
    codec.encode(value);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `[Function: ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  return capText(
    inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 1000 }),
    4096,
  );
}

/** A copy of `value` the codec can encode: what it cannot is replaced by a string describing it. */
function sanitize(value: unknown, depth: number, seen: Set<object>): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') return describe(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_SANITIZE_DEPTH) return describe(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item: unknown) => sanitize(item, depth + 1, seen));
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value))
        copy[key] = sanitize((value as Record<string, unknown>)[key], depth + 1, seen);
      return copy;
    } finally {
      seen.delete(value);
    }
  }
  if (value instanceof Error) return encodable(value) ? value : toLogRecordError(value);
  return encodable(value) ? value : describe(value);
}
