import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortFanOut, type AbortListener } from './abort-fan-out.js';

describe('AbortFanOut', () => {
  it('adds one listener per signal and removes it when the last listener stops', () => {
    const fanOut = new AbortFanOut();
    const { signal } = new AbortController();
    const listeners: AbortListener[] = Array.from({ length: 20 }, () => () => undefined);
    for (const listener of listeners) fanOut.listen(signal, listener);
    fanOut.listen(signal, listeners[0]!);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    for (const listener of listeners.slice(1)) fanOut.stop(signal, listener);
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    fanOut.stop(signal, listeners[0]!);
    fanOut.stop(signal, listeners[0]!);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(fanOut.size).toBe(0);
  });

  it('fans an abort out to every listener once, including those that stop others meanwhile', () => {
    const fanOut = new AbortFanOut();
    const first = new AbortController();
    const second = new AbortController();
    const seen: string[] = [];
    // Like a call waiting on two signals: the abort of one stops its listening to both.
    const onEither: AbortListener = () => {
      seen.push('either');
      fanOut.stop(first.signal, onEither);
      fanOut.stop(second.signal, onEither);
    };
    fanOut.listen(second.signal, onEither);
    fanOut.listen(first.signal, onEither);
    fanOut.listen(first.signal, (signal) => seen.push(signal === first.signal ? 'first' : 'wrong'));
    first.abort();
    second.abort();
    expect(seen).toEqual(['either', 'first']);
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(0);
    expect(fanOut.size).toBe(0);
  });
});
