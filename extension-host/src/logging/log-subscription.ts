import type { Disposable } from '@tether/sdk';
import { suppressedRecord, type HostLogRecord } from './log-record.js';

/**
 * Receives records in batches, oldest first. Returning a promise holds further batches until it settles
 * (the consumer's backpressure); meanwhile records queue up to the subscriber's bound, then are counted
 * as dropped.
 */
export type LogListener = (records: readonly HostLogRecord[]) => void | Promise<unknown>;

/**
 * One live subscriber: a bounded queue drained asynchronously, so the producer (a plugin's log intake) never
 * waits for it. When the queue is full, new records are dropped and counted per extension; once the queue
 * has drained, the subscriber gets one `suppressed N records` warn record per extension that lost records.
 */
export class LogSubscription implements Disposable {
  readonly #listener: LogListener;
  readonly #maxQueue: number;
  readonly #matches: (record: HostLogRecord) => boolean;
  readonly #nextSeq: () => number;
  #queue: HostLogRecord[] = [];
  readonly #dropped = new Map<string, number>();
  #scheduled = false;
  #busy = false;
  #disposed = false;

  constructor(
    matches: (record: HostLogRecord) => boolean,
    listener: LogListener,
    maxQueue: number,
    nextSeq: () => number,
  ) {
    this.#matches = matches;
    this.#listener = listener;
    this.#maxQueue = maxQueue;
    this.#nextSeq = nextSeq;
  }

  /** Records dropped for this subscriber and not yet reported to it. */
  get pendingDropped(): number {
    let total = 0;
    for (const n of this.#dropped.values()) total += n;
    return total;
  }

  offer(record: HostLogRecord): void {
    if (this.#disposed || !this.#matches(record)) return;
    if (this.#queue.length >= this.#maxQueue) {
      this.#dropped.set(record.extension, (this.#dropped.get(record.extension) ?? 0) + 1);
      return;
    }
    this.#queue.push(record);
    this.#schedule();
  }

  dispose(): void {
    this.#disposed = true;
    this.#queue = [];
    this.#dropped.clear();
  }

  #schedule(): void {
    if (this.#scheduled || this.#busy || this.#disposed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#deliver();
    });
  }

  #deliver(): void {
    if (this.#disposed || this.#busy) return;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0 && this.#dropped.size > 0) {
      // Caught up after a flood: say how much was lost.
      for (const [extension, count] of this.#dropped)
        batch.push({ ...suppressedRecord(count), extension, seq: this.#nextSeq() });
      this.#dropped.clear();
    }
    if (batch.length === 0) return;
    let result: void | Promise<unknown>;
    try {
      result = this.#listener(batch);
    } catch {
      result = undefined; // A throwing listener loses that batch, not the subscription.
    }
    if (result instanceof Promise) {
      this.#busy = true;
      const next = (): void => {
        this.#busy = false;
        this.#after();
      };
      result.then(next, next);
    } else {
      this.#after();
    }
  }

  #after(): void {
    if (this.#queue.length > 0 || this.#dropped.size > 0) this.#schedule();
  }
}
