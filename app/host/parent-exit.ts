// `npm start` runs the host as npm → sh → node. npm passes a SIGTERM on to the shell only, which dies of it
// and leaves node running alone, adopted by init: a host nobody can see, holding the data folder. So the
// host takes its parent's going away as the order to stop.

/** How often the parent is checked (ms). */
export const PARENT_CHECK_INTERVAL_MS = 1_000;

/** Why {@link parentExitSignal} aborted (its `reason`). */
export const PARENT_EXITED = 'parent-exited';

/**
 * Aborts, with reason {@link PARENT_EXITED}, once this process's parent is no longer the one it started
 * with (`process.ppid` changed: the parent exited). The check's timer is unref'd: it keeps nothing alive.
 */
export function parentExitSignal(intervalMs: number = PARENT_CHECK_INTERVAL_MS): AbortSignal {
  const controller = new AbortController();
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    controller.abort(PARENT_EXITED);
  }, intervalMs);
  timer.unref();
  return controller.signal;
}
