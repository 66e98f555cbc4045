import type { Disposable } from '@tether/sdk';

/**
 * An async iterator fed by a push source (a log subscription, a stats watcher), for a stream result over RPC.
 * At most one value waits for the reader: with `hold`, the source is told (through `taken`) when the reader
 * has pulled the value after it, and must not push again before (backpressure: the log store queues, then
 * drops and counts); with `latest`, a newer value replaces the waiting one. `return()` (the reader stopped,
 * or its connection closed) ends the iteration at once, even while a `next()` waits, and disposes the
 * source — so nothing is kept for a reader that is gone.
 */
export class PushIterator<T> implements AsyncIterableIterator<T> {
  #waiting: { value: T; taken: () => void } | undefined;
  #delivered: (() => void) | undefined;
  #reader: ((result: IteratorResult<T>) => void) | undefined;
  #done = false;
  readonly #source: Disposable;

  /** `subscribe` gets the function to push values with; it returns the source to dispose at the end. */
  constructor(subscribe: (push: (value: T, taken?: () => void) => void) => Disposable) {
    this.#source = subscribe((value, taken = () => undefined) => this.#push(value, taken));
  }

  #push(value: T, taken: () => void): void {
    if (this.#done) {
      taken();
      return;
    }
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      this.#delivered = taken;
      reader({ value, done: false });
      return;
    }
    this.#waiting?.taken();
    this.#waiting = { value, taken };
  }

  next(): Promise<IteratorResult<T>> {
    // The reader asks for more: what it had is taken.
    this.#delivered?.();
    this.#delivered = undefined;
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      this.#delivered = waiting.taken;
      return Promise.resolve({ value: waiting.value, done: false });
    }
    return new Promise((resolve) => (this.#reader = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.#done) {
      this.#done = true;
      this.#source.dispose();
      this.#delivered?.();
      this.#delivered = undefined;
      this.#waiting?.taken();
      this.#waiting = undefined;
      this.#reader?.({ value: undefined, done: true });
      this.#reader = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
