import type { HostLogRecord } from './log-record.js';

/**
 * One extension's log history: a ring of at most `maxRecords` records and about `maxBytes` bytes, oldest
 * evicted first. Records are in `seq` order, so a position can be found by binary search.
 */
export class LogRing {
  readonly #slots: (HostLogRecord | undefined)[];
  readonly #sizes: Float64Array;
  readonly #maxBytes: number;
  #head = 0;
  #count = 0;
  #bytes = 0;
  /** Records evicted so far (for statistics). */
  evicted = 0;

  constructor(maxRecords: number, maxBytes: number) {
    this.#slots = new Array<HostLogRecord | undefined>(maxRecords);
    this.#sizes = new Float64Array(maxRecords);
    this.#maxBytes = maxBytes;
  }

  get length(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  push(record: HostLogRecord, size: number): void {
    const capacity = this.#slots.length;
    if (this.#count === capacity) this.#shift();
    while (this.#count > 0 && this.#bytes + size > this.#maxBytes) this.#shift();
    const index = (this.#head + this.#count) % capacity;
    this.#slots[index] = record;
    this.#sizes[index] = size;
    this.#count++;
    this.#bytes += size;
  }

  /** The record at position `i` (0 = oldest). */
  at(i: number): HostLogRecord {
    return this.#slots[(this.#head + i) % this.#slots.length]!;
  }

  /** Position of the first record whose seq is greater than `seq` (`length` when none). */
  indexAfter(seq: number): number {
    let low = 0;
    let high = this.#count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.at(mid).seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #shift(): void {
    const capacity = this.#slots.length;
    this.#bytes -= this.#sizes[this.#head]!;
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % capacity;
    this.#count--;
    this.evicted++;
  }
}

/** A cheap estimate of the memory a record holds (characters of its strings, a little per field). */
export function estimateRecordSize(record: {
  readonly scope: string;
  readonly message: string;
  readonly fields?: unknown;
  readonly error?: { readonly message: string; readonly stack?: string };
}): number {
  let size = 96 + record.scope.length + record.message.length;
  if (record.fields !== undefined) size += estimateValueSize(record.fields, 0);
  if (record.error !== undefined)
    size += 32 + record.error.message.length + (record.error.stack?.length ?? 0);
  return size;
}

function estimateValueSize(value: unknown, depth: number): number {
  if (typeof value === 'string') return 16 + value.length;
  if (value instanceof Uint8Array) return 16 + value.byteLength;
  if (value === null || typeof value !== 'object' || depth > 4) return 16;
  let size = 32;
  let n = 0;
  const items: Iterable<unknown> =
    Array.isArray(value) || value instanceof Set || value instanceof Map ? value : Object.values(value);
  for (const item of items) {
    size += estimateValueSize(item, depth + 1);
    if (++n > 1000) break;
  }
  return size;
}
