import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch } from './fuzzy-match.js';

describe('fuzzyMatch', () => {
  it('matches the characters in order, case-insensitively, and says where', () => {
    expect(fuzzyMatch('adn', 'Add numbers')?.indices).toEqual([0, 1, 4]);
    expect(fuzzyMatch('xyz', 'Add numbers')).toBeUndefined();
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, indices: [] });
  });

  it('ranks word starts and runs above scattered matches', () => {
    const titles = ['Reload data', 'Probe: Add', 'Greeter: Say hello', 'probe.fail'];
    expect(fuzzyFilter('pa', titles, (t) => t).map((r) => r.item)).toEqual(['Probe: Add', 'probe.fail']);
    expect(fuzzyFilter('rd', titles, (t) => t).map((r) => r.item)).toEqual(['Reload data', 'Probe: Add']);
    expect(fuzzyFilter('hello', titles, (t) => t).map((r) => r.item)).toEqual(['Greeter: Say hello']);
  });
});
