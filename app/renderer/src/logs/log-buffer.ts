// The Logs panel's records: a ring with a cap (the oldest go first, so memory stays bounded under any tail
// rate), and the list of those that pass the panel's filter, kept up to date as records come and go so the
// virtualized list reads it by index. A new filter is one pass over the ring; a new record is tested once.
import type { ExtensionError, HostLogRecord, LogFilter, LogLevel } from '../connection/host-types.js';

export const levelRank: Readonly<Record<LogLevel, number>> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
};

/** One record, with what the text filter searches (lower-cased once, when it arrives). */
export interface RecordEntry {
  readonly kind: 'record';
  readonly record: HostLogRecord;
  readonly haystack: string;
  /** One of the last records of its extension before it crashed. */
  crashTail: boolean;
  /** Place in the buffer (increases by one per entry; older history gets smaller numbers). */
  position: number;
}

/** The line the panel shows where an extension crashed (the host's crash record: crash-entries.ts). */
export interface CrashEntry {
  readonly kind: 'crash';
  readonly extension: string;
  readonly time: number;
  /** The crash record's place in the host's store (the paging cursor, as a record's). */
  readonly seq: number;
  readonly message: string;
  readonly error: ExtensionError | undefined;
  position: number;
}

export type LogEntry = RecordEntry | CrashEntry;

/**
 * What the panel shows: the host's own LogFilter (every field optional, all given ones must match; the text
 * is looked for, case-insensitively, in the message, scope, error and fields), applied here to the records
 * the panel holds, each with its text prepared once (`recordEntry`).
 */
export type LogViewFilter = LogFilter;

export function recordEntry(record: HostLogRecord): RecordEntry {
  let haystack = `${record.scope}\n${record.message}`;
  if (record.error !== undefined) {
    const { name, message, stack } = record.error;
    haystack += `\n${name}: ${message}\n${stack ?? ''}`;
  }
  if (record.fields !== undefined) haystack += `\n${fieldsText(record.fields)}`;
  return { kind: 'record', record, haystack: haystack.toLowerCase(), crashTail: false, position: 0 };
}

/** A JSON.stringify replacer for codec values: bigint, Map, Set and bytes made readable. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Map) return Object.fromEntries(value as Map<unknown, unknown>) as unknown;
  if (value instanceof Set) return [...(value as Set<unknown>)];
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}

/** The fields as JSON for display and search; never throws. */
export function fieldsText(fields: unknown): string {
  try {
    return JSON.stringify(fields, jsonReplacer) ?? '';
  } catch {
    return '[unserialisable]';
  }
}

export function compileViewFilter(filter: LogViewFilter): (entry: LogEntry) => boolean {
  const minRank = filter.minLevel === undefined ? 0 : levelRank[filter.minLevel];
  const { extension, since, until } = filter;
  const scope = filter.scope === '' ? undefined : filter.scope;
  const needle = filter.text === undefined || filter.text === '' ? undefined : filter.text.toLowerCase();
  return (entry) => {
    if (entry.kind === 'crash') {
      // The crash line stays visible under any level, scope or text filter: it explains what follows.
      if (extension !== undefined && entry.extension !== extension) return false;
      return (since === undefined || entry.time >= since) && (until === undefined || entry.time <= until);
    }
    const record = entry.record;
    if (levelRank[record.level] < minRank) return false;
    if (extension !== undefined && record.extension !== extension) return false;
    if (scope !== undefined && record.scope !== scope) return false;
    if (since !== undefined && record.time < since) return false;
    if (until !== undefined && record.time > until) return false;
    return needle === undefined || entry.haystack.includes(needle);
  };
}

export class LogBuffer {
  readonly capacity: number;
  readonly #ring: (LogEntry | undefined)[];
  /** Index in #ring of the oldest entry. */
  #head = 0;
  #length = 0;
  /** Position of the next entry appended, and of the oldest one. */
  #nextPosition = 0;
  #firstPosition = 0;
  #filter: (entry: LogEntry) => boolean = () => true;
  #filtered: LogEntry[] = [];
  #filteredHead = 0;
  /** Entries dropped because the ring was full. */
  evicted = 0;
  /** Records the host reported as suppressed (it dropped them for a reader that fell behind). */
  suppressed = 0;
  /** Bumped on every change (React compares it). */
  version = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`LogBuffer capacity must be a whole number >= 1, got ${capacity}.`);
    this.capacity = capacity;
    this.#ring = new Array<LogEntry | undefined>(capacity);
  }

  get size(): number {
    return this.#length;
  }

  get filteredSize(): number {
    return this.#filtered.length - this.#filteredHead;
  }

  /** The `index`-th entry that passes the filter, oldest first. */
  filteredAt(index: number): LogEntry | undefined {
    return this.#filtered[this.#filteredHead + index];
  }

  /** Every entry that passes the filter, oldest first. */
  *filteredEntries(): IterableIterator<LogEntry> {
    for (let i = this.#filteredHead; i < this.#filtered.length; i++) yield this.#filtered[i]!;
  }

  /** The oldest entry held. */
  oldest(): LogEntry | undefined {
    return this.#length === 0 ? undefined : this.#ring[this.#head];
  }

  newest(): LogEntry | undefined {
    return this.#length === 0 ? undefined : this.#ring[(this.#head + this.#length - 1) % this.capacity];
  }

  /** Adds entries at the new end; returns how many filtered entries went off the front (evicted). */
  append(entries: readonly LogEntry[]): number {
    if (entries.length === 0) return 0;
    const start = Math.max(0, entries.length - this.capacity);
    this.evicted += start;
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i]!;
      entry.position = this.#nextPosition++;
      if (this.#length === this.capacity) {
        this.#ring[this.#head] = undefined;
        this.#head = (this.#head + 1) % this.capacity;
        this.#length--;
        this.#firstPosition++;
        this.evicted++;
      }
      this.#ring[(this.#head + this.#length) % this.capacity] = entry;
      this.#length++;
      if (entry.kind === 'record') this.#count(entry);
      if (this.#filter(entry)) this.#filtered.push(entry);
    }
    const dropped = this.#dropFilteredBefore(this.#firstPosition);
    this.version++;
    return dropped;
  }

  /**
   * Adds older entries (oldest first) before the oldest held, as far as there is room: history never
   * evicts newer records. Returns how many were added.
   */
  prepend(entries: readonly LogEntry[]): number {
    const room = Math.min(entries.length, this.capacity - this.#length);
    if (room === 0) return 0;
    const taken = entries.slice(entries.length - room);
    const passing: LogEntry[] = [];
    let position = this.#firstPosition - room;
    for (const entry of taken) {
      entry.position = position++;
      if (entry.kind === 'record') this.#count(entry);
      if (this.#filter(entry)) passing.push(entry);
    }
    this.#head = (this.#head - room + this.capacity) % this.capacity;
    for (let i = 0; i < room; i++) this.#ring[(this.#head + i) % this.capacity] = taken[i];
    this.#length += room;
    this.#firstPosition -= room;
    if (passing.length > 0) this.#filtered = [...passing, ...this.#filtered.slice(this.#filteredHead)];
    else this.#filtered = this.#filtered.slice(this.#filteredHead);
    this.#filteredHead = 0;
    this.version++;
    return room;
  }

  /** Applies a new filter: one pass over every entry held. Returns the time it took (ms). */
  setFilter(filter: LogViewFilter): number {
    const started = performance.now();
    const matches = compileViewFilter(filter);
    const filtered: LogEntry[] = [];
    const ring = this.#ring;
    const capacity = this.capacity;
    for (
      let i = 0, index = this.#head;
      i < this.#length;
      i++, index = index + 1 === capacity ? 0 : index + 1
    ) {
      const entry = ring[index]!;
      if (matches(entry)) filtered.push(entry);
    }
    this.#filter = matches;
    this.#filtered = filtered;
    this.#filteredHead = 0;
    this.version++;
    return performance.now() - started;
  }

  /**
   * Marks the last `count` records of `extension` (searching back at most `within` entries) as the ones
   * before its crash. Returns how many were marked.
   */
  markCrashTail(extension: string, count: number, within = 50_000): number {
    let marked = 0;
    for (let i = this.#length - 1, seen = 0; i >= 0 && marked < count && seen < within; i--, seen++) {
      const entry = this.#ring[(this.#head + i) % this.capacity]!;
      if (entry.kind === 'record' && entry.record.extension === extension) {
        entry.crashTail = true;
        marked++;
      }
    }
    if (marked > 0) this.version++;
    return marked;
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#head = 0;
    this.#length = 0;
    this.#firstPosition = this.#nextPosition;
    this.#filtered = [];
    this.#filteredHead = 0;
    this.evicted = 0;
    this.suppressed = 0;
    this.version++;
  }

  #count(entry: RecordEntry): void {
    const suppressed = entry.record.fields?.['suppressed'];
    if (typeof suppressed === 'number' && entry.record.scope === 'tether') this.suppressed += suppressed;
  }

  #dropFilteredBefore(position: number): number {
    const filtered = this.#filtered;
    let head = this.#filteredHead;
    const from = head;
    while (head < filtered.length && filtered[head]!.position < position) head++;
    this.#filteredHead = head;
    // Compact now and then, so the array does not grow without bound.
    if (head > 4096 && head * 2 > filtered.length) {
      this.#filtered = filtered.slice(head);
      this.#filteredHead = 0;
    }
    return head - from;
  }
}
