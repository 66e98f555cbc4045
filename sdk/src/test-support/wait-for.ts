// The one way a test waits for something to happen: poll a condition until it holds, with a generous
// deadline, and fail saying what was awaited. A fixed sleep followed by an assertion passes on an idle
// machine and fails on a loaded one (issue 10); a condition does not care how slow the machine is.
// test/no-fixed-sleeps.test.ts keeps timer sleeps out of the test files.

/** The default deadline: generous (a loaded 2-core machine is slow), and well inside Vitest's 60 s test timeout. */
export const WAIT_FOR_TIMEOUT_MS = 20_000;

/** The default time between checks when waiting on another process or on real time. */
export const WAIT_FOR_INTERVAL_MS = 5;

export interface WaitForOptions {
  /**
   * What is awaited, completing "timed out after N ms waiting for …" (e.g. 'the plugin to exit'); a function
   * is called at the timeout, so the message can tell how far things got.
   */
  readonly what: string | (() => string);
  /** Fails after this long. Default {@link WAIT_FOR_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /**
   * Time between checks. 0 checks once per event-loop turn (setImmediate): right for in-process tests whose
   * work needs no real time, wrong for waiting on a subprocess (it would spin a core the subprocess needs).
   * Default {@link WAIT_FOR_INTERVAL_MS}.
   */
  readonly intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Resolves with the first truthy value `condition` returns (checked at once, then every `intervalMs`);
 * rejects after `timeoutMs` with an error naming `what`. A condition that throws counts as not yet met,
 * and its last error is the rejection's cause, so `() => { expect(x).toBe(1); return true; }` works too.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions,
): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? WAIT_FOR_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? WAIT_FOR_INTERVAL_MS;
  const started = performance.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const waited = performance.now() - started;
    if (waited > timeoutMs) {
      const detail = lastError instanceof Error ? ` (last check threw: ${lastError.message})` : '';
      const what = typeof options.what === 'function' ? options.what() : options.what;
      throw new Error(`timed out after ${Math.round(waited)} ms waiting for ${what}${detail}`, {
        cause: lastError,
      });
    }
    await pause(intervalMs);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));
}
