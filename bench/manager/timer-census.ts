// Counts the host's timers, ref'd and unref'd alike, with an async hook: `process.getActiveResourcesInfo()`
// lists only ref'd timers, and the manager unrefs every timer it keeps. Only resources created while the
// census is enabled are seen, so enable it before starting what is to be counted. It also counts the
// callbacks the host runs (by resource type) between `markWindow()` and `endWindow()`: an idle host runs none.
// The hook turns on V8's promise hooks, which slow every promise: never enable it around a timed figure.
import { createHook, type AsyncHook } from 'node:async_hooks';

export class TimerCensus {
  readonly #types = new Map<number, string>();
  readonly #liveTimers = new Set<number>();
  readonly #hook: AsyncHook;
  #window: Map<string, number> | undefined;
  #ignored = new Set<number>();

  constructor() {
    this.#hook = createHook({
      init: (asyncId, type) => {
        if (type === 'PROMISE') return;
        this.#types.set(asyncId, type);
        if (type === 'Timeout') this.#liveTimers.add(asyncId);
      },
      before: (asyncId) => {
        const window = this.#window;
        if (window === undefined || this.#ignored.has(asyncId)) return;
        const type = this.#types.get(asyncId);
        if (type === undefined) return; // a promise, or a resource older than the census
        window.set(type, (window.get(type) ?? 0) + 1);
      },
      destroy: (asyncId) => {
        this.#types.delete(asyncId);
        this.#liveTimers.delete(asyncId);
      },
    });
  }

  enable(): void {
    this.#hook.enable();
  }

  disable(): void {
    this.#hook.disable();
  }

  /** Timers created since `enable()` that are still armed (set and neither fired nor cleared). */
  get liveTimers(): number {
    return this.#liveTimers.size;
  }

  /** Starts counting callbacks; `ignore` are timers of the measurement itself (their `+timer` ids). */
  markWindow(ignore: readonly number[] = []): void {
    this.#ignored = new Set(ignore);
    this.#window = new Map();
  }

  /** Callbacks run since `markWindow()`, by resource type ('Timeout', 'PIPEWRAP', …). */
  endWindow(): Record<string, number> {
    const counts = Object.fromEntries(this.#window ?? []);
    this.#window = undefined;
    return counts;
  }
}

/** `process.getActiveResourcesInfo()` (ref'd handles and requests, ref'd timers) counted by kind. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
