/** Called when a signal a call waits on aborts. */
export type AbortListener = (signal: AbortSignal) => void;

/**
 * One 'abort' listener per AbortSignal, however many calls wait on it. A signal shared by many calls would
 * otherwise get one listener per call, and Node warns (MaxListenersExceededWarning) past ten. The listener is
 * added when the first call waits on a signal, fans the abort out to every call waiting then, and is removed
 * when the last of them stops waiting; the user's signal's max-listeners setting is never touched.
 */
export class AbortFanOut {
  readonly #waiting = new Map<AbortSignal, Set<AbortListener>>();

  /** Signals listened to now (for tests and stats). */
  get size(): number {
    return this.#waiting.size;
  }

  /**
   * Calls `listener` once when `signal` aborts, unless `stop(signal, listener)` comes first. The caller
   * checks `signal.aborted` before: an already aborted signal fires no event. Each call passes its own
   * listener function; the same pair listened to twice counts once.
   */
  listen(signal: AbortSignal, listener: AbortListener): void {
    const listeners = this.#waiting.get(signal);
    if (listeners !== undefined) {
      listeners.add(listener);
      return;
    }
    this.#waiting.set(signal, new Set([listener]));
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Stops `listener`; the signal's own listener goes with the last one. Safe to call more than once. */
  stop(signal: AbortSignal, listener: AbortListener): void {
    const listeners = this.#waiting.get(signal);
    if (listeners?.delete(listener) !== true || listeners.size > 0) return;
    this.#waiting.delete(signal);
    signal.removeEventListener('abort', this.#onAbort);
  }

  readonly #onAbort = (event: Event): void => {
    const signal = event.target as AbortSignal;
    const listeners = this.#waiting.get(signal);
    // Detached first: listeners that stop while the abort fans out find nothing to remove.
    this.#waiting.delete(signal);
    if (listeners !== undefined) for (const listener of listeners) listener(signal);
  };
}
