import { describe, expect, it } from 'vitest';
import { PushIterator } from './push-iterator.js';

function source() {
  const state: { push?: (value: number, taken?: () => void) => void; disposed: boolean } = {
    disposed: false,
  };
  const iterator = new PushIterator<number>((push) => {
    state.push = push;
    return { dispose: () => (state.disposed = true) };
  });
  return { iterator, state };
}

describe('PushIterator', () => {
  it('hands a value to a waiting reader, and tells the source it was taken when the reader asks again', async () => {
    const { iterator, state } = source();
    const first = iterator.next();
    let taken = false;
    state.push!(1, () => (taken = true));
    expect(await first).toEqual({ value: 1, done: false });
    expect(taken).toBe(false);
    const second = iterator.next();
    expect(taken).toBe(true);
    state.push!(2);
    expect(await second).toEqual({ value: 2, done: false });
  });

  it('keeps only the latest value for a slow reader', async () => {
    const { iterator, state } = source();
    const dropped: number[] = [];
    state.push!(1, () => dropped.push(1));
    state.push!(2);
    expect(dropped).toEqual([1]);
    expect(await iterator.next()).toEqual({ value: 2, done: false });
  });

  it('ends at once on return(), even while a next() waits, and disposes the source', async () => {
    const { iterator, state } = source();
    const waiting = iterator.next();
    await iterator.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(state.disposed).toBe(true);
    let taken = false;
    state.push!(3, () => (taken = true));
    expect(taken).toBe(true);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
