import { describe, expect, it } from 'vitest';
import { StderrTail } from './stderr-tail.js';

describe('StderrTail', () => {
  it('keeps the last N lines, oldest first', () => {
    const tail = new StderrTail(3);
    expect(tail.lines()).toEqual([]);
    for (const line of ['a', 'b']) tail.push(line);
    expect(tail.lines()).toEqual(['a', 'b']);
    for (const line of ['c', 'd', 'e']) tail.push(line);
    expect(tail.lines()).toEqual(['c', 'd', 'e']);
  });

  it('keeps nothing with capacity 0', () => {
    const tail = new StderrTail(0);
    tail.push('a');
    expect(tail.lines()).toEqual([]);
  });
});
