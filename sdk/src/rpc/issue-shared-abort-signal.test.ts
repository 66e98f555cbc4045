// Issue 10.7: one AbortSignal shared by many calls prints no MaxListenersExceededWarning. The peer adds
// one 'abort' listener per signal (not one per call), fans the abort out to the calls, and removes the
// listener when the last call on that signal settles. The user's signal's max-listeners setting is untouched.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/wait-for.js';
import { createLoopbackPeers } from './loopback-peers.js';
import { withCallOptions } from './remote-factory.js';
import { exposeCalculator } from './test-fixtures/calculator-impl.js';
import { calculator } from './test-fixtures/contract.js';

const CALLS = 50;

let pair: ReturnType<typeof createLoopbackPeers> | undefined;
let stopWatching: (() => void) | undefined;
afterEach(() => {
  stopWatching?.();
  pair?.dispose();
  pair = undefined;
});

function connect() {
  pair = createLoopbackPeers();
  exposeCalculator(pair.plugin);
  return { ...pair, calc: pair.host.remote(calculator) };
}

/** Collects the MaxListenersExceededWarnings the process emits while the test runs. */
function watchWarnings(): Error[] {
  const seen: Error[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning') seen.push(warning);
  };
  process.on('warning', onWarning);
  stopWatching = () => process.off('warning', onWarning);
  return seen;
}

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition) });
}

/** Warnings are emitted on a later tick; let them arrive before looking. */
function nextTicks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('issue 10.7: one AbortSignal shared by many calls', () => {
  it(`${CALLS} calls on one signal add one listener, print no warning, and all reject with ABORTED`, async () => {
    const warnings = watchWarnings();
    const { host, plugin, calc } = connect();
    const controller = new AbortController();
    const { signal } = controller;
    // Every call passes the signal as an argument (so the handler is cancelled too); half also pass it as
    // the call's option, which must not add a second listener.
    const withSignal = withCallOptions(calc, { signal });
    const calls = Array.from({ length: CALLS }, (_, i) =>
      (i % 2 === 0 ? withSignal : calc).slow(60_000, signal),
    );
    const settled = calls.map((call) =>
      call.then(
        () => 'resolved',
        (error: unknown) => error,
      ),
    );
    await until(() => plugin.stats().runningHandlers === CALLS);
    expect(host.stats().pendingCalls).toBe(CALLS);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    await nextTicks();
    expect(warnings).toEqual([]);

    controller.abort();
    const results = await Promise.all(settled);
    for (const result of results) expect(result).toMatchObject({ code: 'ABORTED' });
    await until(() => plugin.stats().runningHandlers === 0);
    expect(host.stats()).toMatchObject({ pendingCalls: 0, runningHandlers: 0 });
    expect(plugin.stats()).toMatchObject({ pendingCalls: 0, runningHandlers: 0 });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    await nextTicks();
    expect(warnings).toEqual([]);
  });

  it('removes the listener when the last call on the signal settles without an abort', async () => {
    const warnings = watchWarnings();
    const { host, calc } = connect();
    const controller = new AbortController();
    const { signal } = controller;
    const withSignal = withCallOptions(calc, { signal });
    const sums = await Promise.all(Array.from({ length: CALLS }, (_, i) => withSignal.add(i, 1)));
    expect(sums).toEqual(Array.from({ length: CALLS }, (_, i) => i + 1));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(host.stats().pendingCalls).toBe(0);
    // A later call on the same signal listens again, and the abort still reaches it.
    const later = withSignal.slow(60_000);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    controller.abort();
    await expect(later).rejects.toMatchObject({ code: 'ABORTED' });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    await nextTicks();
    expect(warnings).toEqual([]);
  });
});
