import { describe, expect, it } from 'vitest';
import { compareVersions, formatVersion, isValidVersion, parseVersion } from './semver.js';

describe('parseVersion', () => {
  it('parses major.minor.patch, pre-release and build', () => {
    expect(parseVersion('1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [], build: [] });
    expect(parseVersion('1.0.0-beta.2+sha.5114f85')).toEqual({
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
    'v1.2.3',
    '=1.2.3',
    ' 1.2.3',
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
  ])('rejects %j', (text) => {
    expect(parseVersion(text)).toBeUndefined();
    expect(isValidVersion(text)).toBe(false);
  });

  it('round-trips through formatVersion', () => {
    for (const text of ['0.0.0', '1.2.3-rc.1', '10.20.30-alpha+build.7']) {
      expect(formatVersion(parseVersion(text)!)).toBe(text);
    }
  });
});

describe('compareVersions', () => {
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
      expect(compareVersions(ordered[i]!, ordered[i + 1]!)).toBeLessThan(0);
      expect(compareVersions(ordered[i + 1]!, ordered[i]!)).toBeGreaterThan(0);
    }
  });

  it('ignores build metadata', () => {
    expect(compareVersions(parseVersion('1.0.0+a')!, parseVersion('1.0.0+b')!)).toBe(0);
  });
});
