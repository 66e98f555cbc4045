import type { Disposable } from './disposable.js';

/** A typed event: call it with a listener to subscribe; dispose the result to unsubscribe (VS Code style). */
export type Event<T> = (listener: (event: T) => void) => Disposable;

/**
 * Owns the listeners of one {@link Event}. `fire` calls them synchronously in subscription order;
 * a listener that throws does not stop the others (the error is re-thrown asynchronously).
 */
export class Emitter<T> implements Disposable {
  #listeners: ((event: T) => void)[] = [];
  #disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.#disposed) return { dispose() {} };
    this.#listeners.push(listener);
    let subscribed = true;
    return {
      dispose: () => {
        if (!subscribed) return;
        subscribed = false;
        const index = this.#listeners.indexOf(listener);
        if (index >= 0) this.#listeners.splice(index, 1);
      },
    };
  };

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  fire(event: T): void {
    const listeners = this.#listeners;
    if (listeners.length === 1) {
      callListener(listeners[0]!, event);
      return;
    }
    for (const listener of listeners.slice()) callListener(listener, event);
  }

  dispose(): void {
    this.#disposed = true;
    this.#listeners = [];
  }
}

function callListener<T>(listener: (event: T) => void, event: T): void {
  try {
    listener(event);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
