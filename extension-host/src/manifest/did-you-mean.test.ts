import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './did-you-mean.js';

describe('did you mean', () => {
  it('edit distance counts insertions, deletions, substitutions and swaps', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('entry', 'entry')).toBe(0);
    expect(editDistance('enrty', 'entry')).toBe(1);
    expect(editDistance('servces', 'services')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close names, ignoring case, and nothing for far ones', () => {
    const keys = ['entry', 'runner', 'services', 'host', 'hostApis'];
    expect(closestMatch('hostAPIs', keys)).toBe('hostApis');
    expect(closestMatch('Entry', keys)).toBe('entry');
    expect(closestMatch('hots', keys)).toBe('host');
    expect(closestMatch('banana', keys)).toBeUndefined();
    expect(didYouMean('servce', keys)).toBe('; did you mean "services"?');
    expect(didYouMean('zzz', keys)).toBe('');
  });
});
