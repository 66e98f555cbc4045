// How we use the `semver` package for versions: strict, one canonical spelling, SemVer 2.0.0 precedence.
import { describe, expect, it } from 'vitest';
import { isValidVersion, parseVersion } from './semver.js';

describe('parseVersion', () => {
  it('parses major.minor.patch, pre-release and build', () => {
    expect(parseVersion('1.2.3')).toMatchObject({ major: 1, minor: 2, patch: 3, prerelease: [], build: [] });
    expect(parseVersion('1.0.0-beta.2+sha.5114f85')).toMatchObject({
      major: 1,
      minor: 0,
      patch: 0,
      prerelease: ['beta', 2],
      build: ['sha', '5114f85'],
    });
    expect(parseVersion('1.0.0-0a.-x')?.prerelease).toEqual(['0a', '-x']);
  });

  it.each([
    '',
    '1',
    '1.2',
    'v1.2.3', // the library strips a leading "v" and surrounding whitespace; we ask for one spelling
    '=1.2.3',
    ' 1.2.3',
    '1.2.3\n',
    'V1.2.3',
    '01.2.3',
    '1.02.3',
    '1.2.03',
    '1.2.3-01',
    '1.2.3-',
    '1.2.3-a..b',
    '1.2.3+',
    '1.2.3.4',
    '1.2.x',
    '9007199254740993.0.0',
    '1.2.3-beta!',
    `1.2.3-${'a'.repeat(256)}`, // longer than the library's 256 characters
  ])('rejects %j', (text) => {
    expect(parseVersion(text)).toBeUndefined();
    expect(isValidVersion(text)).toBe(false);
  });

  it('keeps the text as written (build metadata included)', () => {
    for (const text of ['0.0.0', '1.2.3-rc.1', '10.20.30-alpha+build.7']) {
      expect(parseVersion(text)?.raw).toBe(text);
    }
    // The library's `version` (and `format()`) leaves build metadata out.
    expect(parseVersion('10.20.30-alpha+build.7')?.version).toBe('10.20.30-alpha');
  });

  it('keeps a numeric pre-release identifier beyond 2^53 as a string (the library does not refuse it)', () => {
    expect(parseVersion('1.2.3-99999999999999999999')?.prerelease).toEqual(['99999999999999999999']);
  });
});

describe('SemVer.compare', () => {
  it('orders by SemVer 2.0.0 precedence (the spec example)', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
    ].map((text) => parseVersion(text)!);
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(ordered[i]!.compare(ordered[i + 1]!)).toBeLessThan(0);
      expect(ordered[i + 1]!.compare(ordered[i]!)).toBeGreaterThan(0);
    }
  });

  it('ignores build metadata', () => {
    expect(parseVersion('1.0.0+a')!.compare(parseVersion('1.0.0+b')!)).toBe(0);
  });
});
