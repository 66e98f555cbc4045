import { TetherError, toDisposable, type Disposable } from '@tether/sdk';
import {
  DEFAULT_LOG_HISTORY_BYTES,
  DEFAULT_LOG_HISTORY_RECORDS,
  DEFAULT_LOG_MESSAGE_MAX_CHARS,
  DEFAULT_LOG_SUBSCRIBER_QUEUE,
  MAX_LOG_QUERY_LIMIT,
} from '../constants.js';
import { compileLogFilter, type LogFilter } from './log-filter.js';
import {
  isLogLevel,
  logLevelRank,
  suppressedRecord,
  type HostLogRecord,
  type LogLevel,
  type LogRecord,
} from './log-record.js';
import { LogRing, estimateRecordSize } from './log-ring.js';
import { LogSubscription, type LogListener } from './log-subscription.js';

export interface LogStoreOptions {
  /** Records kept in memory per extension. Default `DEFAULT_LOG_HISTORY_RECORDS`. */
  readonly maxRecordsPerExtension?: number;
  /** Approximate bytes kept in memory per extension. Default `DEFAULT_LOG_HISTORY_BYTES`. */
  readonly maxBytesPerExtension?: number;
  /** Longest message kept; longer ones are cut. Default `DEFAULT_LOG_MESSAGE_MAX_CHARS`. */
  readonly maxMessageChars?: number;
  /** Records below this level are not kept (nor parsed, for output lines). Default 'trace' (keep all). */
  readonly minLevel?: LogLevel;
  /** Keep RPC traffic records (`recordRpc`) of every extension. Default false. */
  readonly tracing?: boolean;
}

export interface LogQuery extends LogFilter {
  /** Most records in the page. Default 200, at most `MAX_LOG_QUERY_LIMIT`. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
  /** 'asc' (default): oldest first, pages go forward in time. 'desc': newest first, pages go back. */
  readonly order?: 'asc' | 'desc';
}

export interface LogPage {
  readonly records: HostLogRecord[];
  /** Pass as `cursor` for the next page; absent when this page is the last one (for now). */
  readonly nextCursor?: string;
}

/** One RPC call as traced (protocol traffic shown in the devtools panel). */
export interface RpcTraceRecord {
  readonly extension: string;
  /** 'outgoing': the host called the extension; 'incoming': the extension called the host. */
  readonly direction?: 'outgoing' | 'incoming';
  readonly service: string;
  readonly method: string;
  readonly durationMs: number;
  /** Bytes of the request and answer on the wire. */
  readonly bytes: number;
  /** Bytes the host sent, and received, for the call. */
  readonly bytesOut?: number;
  readonly bytesIn?: number;
  /** The error's code or message when the call failed. */
  readonly error?: string | undefined;
  readonly time?: number;
}

/** Something that consumes every kept record, e.g. a per-extension log file. */
export interface LogStoreSink {
  write(record: HostLogRecord): void;
}

/**
 * The host's log history and live feed, for the UI and the CLI. Per extension a bounded ring (records and
 * bytes); the history stays after the extension exits so the reason for a crash stays visible. Query by
 * extension, level, scope, text and time range, paged by cursor; subscribe live with a bounded queue per
 * subscriber (a slow subscriber loses records, counted, never slows the producer).
 */
export class LogStore implements Disposable {
  readonly #rings = new Map<string, LogRing>();
  readonly #subscriptions = new Set<LogSubscription>();
  readonly #sinks = new Set<LogStoreSink>();
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #maxMessageChars: number;
  #minRank: number;
  #seq = 0;
  /** Keep RPC traffic records (`recordRpc`) of every extension. */
  tracing: boolean;
  /** Extensions whose RPC traffic is kept while `tracing` is off. */
  readonly #tracedExtensions = new Set<string>();

  constructor(options: LogStoreOptions = {}) {
    this.#maxRecords = positiveInteger(
      'maxRecordsPerExtension',
      options.maxRecordsPerExtension,
      DEFAULT_LOG_HISTORY_RECORDS,
    );
    this.#maxBytes = positiveInteger(
      'maxBytesPerExtension',
      options.maxBytesPerExtension,
      DEFAULT_LOG_HISTORY_BYTES,
    );
    this.#maxMessageChars = positiveInteger(
      'maxMessageChars',
      options.maxMessageChars,
      DEFAULT_LOG_MESSAGE_MAX_CHARS,
    );
    this.#minRank = logLevelRank[checkLevel(options.minLevel ?? 'trace')];
    this.tracing = options.tracing ?? false;
  }

  /** Lowest level kept. Changing it affects records appended from now on. */
  get minLevel(): LogLevel {
    return (Object.keys(logLevelRank) as LogLevel[]).find((l) => logLevelRank[l] === this.#minRank)!;
  }

  set minLevel(level: LogLevel) {
    this.#minRank = logLevelRank[checkLevel(level)];
  }

  /** True when a record at `level` would be kept: producers check this before building or parsing one. */
  accepts(level: LogLevel): boolean {
    return logLevelRank[level] >= this.#minRank;
  }

  /** Extensions that have records, in the order they first logged. */
  extensions(): string[] {
    return [...this.#rings.keys()];
  }

  /** Records and approximate bytes held for `extension`. */
  stats(extension: string): { records: number; bytes: number; evicted: number } {
    const ring = this.#rings.get(extension);
    return { records: ring?.length ?? 0, bytes: ring?.bytes ?? 0, evicted: ring?.evicted ?? 0 };
  }

  /** The seq of the newest record (0 before any). */
  /** Live subscriptions (for leak checks: a reader that went away must not stay subscribed). */
  get subscriberCount(): number {
    return this.#subscriptions.size;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  /** Adds one record from `extension`; returns the stored record, or undefined when below the level filter. */
  append(extension: string, record: LogRecord): HostLogRecord | undefined {
    if (logLevelRank[record.level] < this.#minRank) return undefined;
    const stored = this.#stored(record, extension);
    let ring = this.#rings.get(extension);
    if (ring === undefined) {
      ring = new LogRing(this.#maxRecords, this.#maxBytes);
      this.#rings.set(extension, ring);
    }
    ring.push(stored, estimateRecordSize(stored));
    for (const sink of this.#sinks) sink.write(stored);
    for (const subscription of this.#subscriptions) subscription.offer(stored);
    return stored;
  }

  /** Adds the warn record that stands for `count` records a producer dropped. */
  appendSuppressed(extension: string, count: number, time = Date.now()): void {
    if (count > 0) this.append(extension, suppressedRecord(count, time));
  }

  /** Whether calls of `extension` are traced: `tracing` is on, or it is on for that extension. */
  isTracing(extension: string): boolean {
    return this.tracing || this.#tracedExtensions.has(extension);
  }

  /** Traces one extension's calls (or stops), whatever `tracing` says for all of them. */
  traceExtension(extension: string, on: boolean): void {
    if (on) this.#tracedExtensions.add(extension);
    else this.#tracedExtensions.delete(extension);
  }

  /** Extensions traced one by one (`traceExtension`), sorted. */
  get tracedExtensions(): string[] {
    return [...this.#tracedExtensions].sort();
  }

  /** Stores one traced RPC call (scope 'rpc') when its extension is traced (`isTracing`). */
  recordRpc(trace: RpcTraceRecord): void {
    if (!this.isTracing(trace.extension)) return;
    const { extension, service, method, durationMs, bytes, error } = trace;
    const direction = trace.direction ?? 'outgoing';
    const level: LogLevel = error === undefined ? 'info' : 'error';
    if (!this.accepts(level)) return;
    const arrow = direction === 'outgoing' ? '→' : '←';
    this.append(extension, {
      time: trace.time ?? Date.now(),
      level,
      scope: 'rpc',
      message: `${arrow} ${service}.${method} ${durationMs.toFixed(1)} ms ${bytes} B${error === undefined ? '' : ` failed: ${error}`}`,
      fields: {
        direction,
        service,
        method,
        durationMs,
        bytes,
        ...(trace.bytesOut === undefined ? {} : { bytesOut: trace.bytesOut }),
        ...(trace.bytesIn === undefined ? {} : { bytesIn: trace.bytesIn }),
        ...(error === undefined ? {} : { error }),
      },
    });
  }

  /** One page of records matching `query`. */
  query(query: LogQuery = {}): LogPage {
    const limit = Math.min(MAX_LOG_QUERY_LIMIT, Math.max(1, Math.floor(query.limit ?? 200)));
    const descending = query.order === 'desc';
    const cursor = parseCursor(query.cursor);
    const matches = compileLogFilter(query);
    const rings =
      query.extension === undefined
        ? [...this.#rings.values()]
        : [this.#rings.get(query.extension)].filter((r) => r !== undefined);
    // Each ring is in seq order: take up to limit+1 matches from each, then merge.
    const found: HostLogRecord[] = [];
    for (const ring of rings) {
      if (descending) {
        let i = cursor === undefined ? ring.length - 1 : ring.indexAfter(cursor - 1) - 1;
        for (let taken = 0; i >= 0 && taken <= limit; i--) {
          const record = ring.at(i);
          if (matches(record)) {
            found.push(record);
            taken++;
          }
        }
      } else {
        let i = cursor === undefined ? 0 : ring.indexAfter(cursor);
        for (let taken = 0; i < ring.length && taken <= limit; i++) {
          const record = ring.at(i);
          if (matches(record)) {
            found.push(record);
            taken++;
          }
        }
      }
    }
    found.sort(descending ? (a, b) => b.seq - a.seq : (a, b) => a.seq - b.seq);
    const records = found.slice(0, limit);
    const last = records.at(-1);
    if (found.length > limit && last !== undefined) return { records, nextCursor: String(last.seq) };
    // Forward paging may continue once more records arrive: give the cursor anyway.
    if (descending) return { records };
    const next = last === undefined ? query.cursor : String(last.seq);
    return next === undefined ? { records } : { records, nextCursor: next };
  }

  /**
   * Live records matching `filter`, delivered asynchronously in batches. The subscriber's queue holds at
   * most `maxQueue` records; past that records are dropped for it and reported as one
   * `suppressed N records` record when it catches up.
   */
  subscribe(filter: LogFilter, listener: LogListener, options: { maxQueue?: number } = {}): Disposable {
    const maxQueue = positiveInteger('maxQueue', options.maxQueue, DEFAULT_LOG_SUBSCRIBER_QUEUE);
    const subscription = new LogSubscription(compileLogFilter(filter), listener, maxQueue, () => this.#seq);
    this.#subscriptions.add(subscription);
    return toDisposable(() => {
      subscription.dispose();
      this.#subscriptions.delete(subscription);
    });
  }

  /** Every kept record is also written to `sink` (synchronously: the sink must not block). */
  addSink(sink: LogStoreSink): Disposable {
    this.#sinks.add(sink);
    return toDisposable(() => this.#sinks.delete(sink));
  }

  /** Forgets the history of one extension (or of all). */
  clear(extension?: string): void {
    if (extension === undefined) this.#rings.clear();
    else this.#rings.delete(extension);
  }

  dispose(): void {
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#subscriptions.clear();
    this.#sinks.clear();
  }

  /**
   * The stored copy of `record`, its message capped. Built field by field: in Node 20 an object spread
   * followed by more properties (`{ ...record, extension, seq }`) cost ~8 µs a record, most of a flood's time.
   */
  #stored(record: LogRecord, extension: string): HostLogRecord {
    const max = this.#maxMessageChars;
    const message =
      record.message.length <= max
        ? record.message
        : `${record.message.slice(0, max)}… [${record.message.length - max} more chars]`;
    const stored: Mutable<HostLogRecord> = {
      time: record.time,
      level: record.level,
      scope: record.scope,
      message,
      extension,
      seq: ++this.#seq,
    };
    if (record.fields !== undefined) stored.fields = record.fields;
    if (record.error !== undefined) stored.error = record.error;
    return stored;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const seq = Number(cursor);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Log query cursor ${JSON.stringify(cursor)} is not one this store returned; start again without a cursor.`,
    );
  }
  return seq;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new TetherError('INVALID_OPTIONS', `LogStore option ${name} must be a whole number ≥ 1, got ${n}.`);
  }
  return n;
}

function checkLevel(level: unknown): LogLevel {
  if (!isLogLevel(level)) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Log level must be one of trace, debug, info, warn, error; got ${JSON.stringify(level)}.`,
    );
  }
  return level;
}
