import { TetherError } from '@tether/sdk';
import {
  DEFAULT_CRASH_LIMIT,
  DEFAULT_CRASH_WINDOW_MS,
  DEFAULT_RESTART_BACKOFF_MS,
  MAX_RESTART_BACKOFF_MS,
} from '../constants.js';

/** How many crashes within how long the supervisor tolerates, and how it spaces the restarts. */
export interface RestartPolicy {
  /** Crashes tolerated within `windowMs`; one more and the extension is `failed`. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** Delay before the first restart (ms); doubled for each earlier crash still in the window. */
  readonly backoffMs: number;
  /** Longest delay (ms). */
  readonly maxBackoffMs: number;
}

export const defaultRestartPolicy: RestartPolicy = Object.freeze({
  maxCrashes: DEFAULT_CRASH_LIMIT,
  windowMs: DEFAULT_CRASH_WINDOW_MS,
  backoffMs: DEFAULT_RESTART_BACKOFF_MS,
  maxBackoffMs: MAX_RESTART_BACKOFF_MS,
});

/** Checks a partial policy and fills in the defaults; throws INVALID_OPTIONS saying what to fix. */
export function resolveRestartPolicy(
  policy: Partial<RestartPolicy> | undefined,
  base = defaultRestartPolicy,
): RestartPolicy {
  const resolved = { ...base, ...policy };
  for (const [name, value] of Object.entries(resolved)) {
    const min = name === 'maxCrashes' ? 0 : 1;
    if (!Number.isFinite(value) || value < min) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `restartPolicy.${name} must be a number ≥ ${min}, got ${String(value)}.`,
      );
    }
  }
  return Object.freeze(resolved);
}

/**
 * The crash history of one extension: decides whether a crash is restarted (and after how long) or is one too
 * many. VS Code gives up after 3 crashes in 5 minutes; so do we by default. Cleared when the user starts the
 * extension by hand.
 */
export class CrashTracker {
  #crashes: number[] = [];

  /**
   * Records a crash at `now` under `policy`. Returns the delay before the restart, or `undefined` when this
   * crash goes past the limit (the extension should be `failed`).
   */
  crashed(policy: RestartPolicy, now = Date.now()): number | undefined {
    const { windowMs, maxCrashes, backoffMs, maxBackoffMs } = policy;
    this.#crashes = this.#crashes.filter((time) => now - time < windowMs);
    this.#crashes.push(now);
    if (this.#crashes.length > maxCrashes) return undefined;
    return Math.min(maxBackoffMs, backoffMs * 2 ** (this.#crashes.length - 1));
  }

  /** Crashes inside the window as of the last one recorded. */
  get recentCrashes(): number {
    return this.#crashes.length;
  }

  reset(): void {
    this.#crashes = [];
  }
}
