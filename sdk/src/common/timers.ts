// Timers that work in any JS runtime. Node's `setTimeout` returns an object with `unref()` and Node has
// `setImmediate`; a browser has neither. The neutral layers (transport, mux, codec, rpc) use these instead,
// and look the globals up at each call, so that test fake timers installed later still apply.

/** What `setTimeout` returns here: a Node `Timeout`, or a browser's number. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * `setTimeout` for a timer that only guards a deadline: in Node it is `unref()`'d, so it does not keep the
 * process alive (STYLE.md 8). Cancel it with `clearTimeout`.
 */
export function setDeadlineTimer(callback: () => void, ms: number): TimerHandle {
  const timer = setTimeout(callback, ms);
  (timer as { unref?: () => unknown }).unref?.();
  return timer;
}

/** What {@link setMacrotask} returns, for {@link clearMacrotask}. */
export type MacrotaskHandle = object | number;

/** Node's immediates, looked up on `globalThis` (a browser has none). */
interface Immediates {
  setImmediate?(callback: () => void): object;
  clearImmediate?(handle: MacrotaskHandle): void;
}

/**
 * Runs `callback` in a later macrotask: Node's `setImmediate` (after pending I/O, before timers), else
 * `setTimeout(callback, 0)`.
 */
export function setMacrotask(callback: () => void): MacrotaskHandle {
  const node = globalThis as Immediates;
  return node.setImmediate !== undefined ? node.setImmediate(callback) : setTimeout(callback, 0);
}

/** Cancels what {@link setMacrotask} scheduled. */
export function clearMacrotask(handle: MacrotaskHandle): void {
  const node = globalThis as Immediates;
  if (node.clearImmediate !== undefined) node.clearImmediate(handle);
  else clearTimeout(handle as TimerHandle);
}
