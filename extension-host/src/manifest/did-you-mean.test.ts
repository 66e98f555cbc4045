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

  it('suggests a name the input is a shortened or lengthened form of', () => {
    const keys = ['idleTimeoutSeconds', 'crashLimit', 'host', 'hostApis'];
    expect(closestMatch('idleTimeout', keys)).toBe('idleTimeoutSeconds');
    expect(closestMatch('crashLimitPerHour', keys)).toBe('crashLimit');
    expect(closestMatch('hostApisList', keys)).toBe('hostApis');
    expect(closestMatch('idl', keys)).toBeUndefined(); // too short to say
    expect(closestMatch('hostname', ['host'])).toBe('host');
    expect(closestMatch('timeout', keys)).toBeUndefined(); // in the middle is not a prefix
  });
});
