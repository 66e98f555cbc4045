import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRange, parseRange, satisfies, type SemVerRangeOptions } from './semver-range.js';
import { formatVersion, parseVersion } from './semver.js';

function matches(version: string, range: string, options?: SemVerRangeOptions): boolean {
  const result = parseRange(range, options);
  if (!result.ok) throw new Error(`bad range ${range}: ${result.error}`);
  return satisfies(parseVersion(version)!, result.range);
}

function desugared(range: string, options?: SemVerRangeOptions): string {
  const result = parseRange(range, options);
  if (!result.ok) throw new Error(result.error);
  return formatRange(result.range);
}

describe('parseRange desugars like npm', () => {
  it.each([
    ['*', '*'],
    ['', '*'],
    ['x', '*'],
    ['1.2.3', '=1.2.3'],
    ['=1.2.3', '=1.2.3'],
    ['v1.2.3', '=1.2.3'],
    ['1.x', '>=1.0.0 <2.0.0-0'],
    ['1.2.*', '>=1.2.0 <1.3.0-0'],
    ['1', '>=1.0.0 <2.0.0-0'],
    ['1.2', '>=1.2.0 <1.3.0-0'],
    ['~1.2.3', '>=1.2.3 <1.3.0-0'],
    ['~1.2', '>=1.2.0 <1.3.0-0'],
    ['~1', '>=1.0.0 <2.0.0-0'],
    ['~0.2.3', '>=0.2.3 <0.3.0-0'],
    ['~1.2.3-beta.2', '>=1.2.3-beta.2 <1.3.0-0'],
    ['^1.2.3', '>=1.2.3 <2.0.0-0'],
    ['^0.2.3', '>=0.2.3 <0.3.0-0'],
    ['^0.0.3', '>=0.0.3 <0.0.4-0'],
    ['^1.2.x', '>=1.2.0 <2.0.0-0'],
    ['^0.0.x', '<0.1.0-0'],
    ['^0.0', '<0.1.0-0'],
    ['^1.x', '>=1.0.0 <2.0.0-0'],
    ['^0.x', '<1.0.0-0'],
    ['^0.1.0', '>=0.1.0 <0.2.0-0'],
    ['>1', '>=2.0.0'],
    ['>1.2', '>=1.3.0'],
    ['>1.2.3', '>1.2.3'],
    ['>=1.x', '>=1.0.0'],
    ['<1.2', '<1.2.0-0'],
    ['<=1.2', '<1.3.0-0'],
    ['<=1.2.3', '<=1.2.3'],
    ['>*', '<0.0.0-0'],
    ['<*', '<0.0.0-0'],
    ['>= 1.2.3  < 2', '>=1.2.3 <2.0.0-0'],
    ['>=0.1.0 <2', '>=0.1.0 <2.0.0-0'],
    ['1.2.3 - 2.3.4', '>=1.2.3 <=2.3.4'],
    ['1.2 - 2.3.4', '>=1.2.0 <=2.3.4'],
    ['1.2.3 - 2.3', '>=1.2.3 <2.4.0-0'],
    ['1.2.3 - 2', '>=1.2.3 <3.0.0-0'],
    ['* - 2', '<3.0.0-0'],
    ['^1 || ^2 ||  >=4.0.0', '>=1.0.0 <2.0.0-0 || >=2.0.0 <3.0.0-0 || >=4.0.0'],
    ['1.x ||', '*'], // npm collapses a range with a "*" set to "*"
  ])('%j → %s', (range, expected) => {
    expect(desugared(range)).toBe(expected);
  });

  it('with includePrerelease, partial lower bounds start at the lowest pre-release', () => {
    expect(desugared('^1.2', { includePrerelease: true })).toBe('>=1.2.0-0 <2.0.0-0');
    expect(desugared('>1.2', { includePrerelease: true })).toBe('>=1.3.0-0');
    expect(desugared('>=1.2.3', { includePrerelease: true })).toBe('>=1.2.3');
    // npm's hyphen-range quirk: the lower end admits its own pre-releases.
    expect(desugared('1.2.3 - 2', { includePrerelease: true })).toBe('>=1.2.3-0 <3.0.0-0');
  });

  it.each([
    ['>=', 'is not a version'],
    ['1.2.3.4', 'is not a version'],
    ['abc', 'is not a version'],
    ['>=1.2.3 <', 'is not a version'],
    ['1.x.3', 'has a number after a wildcard; write "1.x"'],
    ['*.2', 'has a number after a wildcard; write "*"'],
    ['1.2.x-beta', 'pre-release tag on a partial version'],
    ['1.2.3-01', 'leading zero'],
    ['~>1.2', 'is not a version'],
    ['1.2.3 - ', 'is not a version'],
    ['99999999999999999999.0.0', 'too large'],
  ])('rejects %j with a reason', (range, reason) => {
    const result = parseRange(range);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it('rejects absurdly long ranges', () => {
    const result = parseRange('>=1.0.0 '.repeat(200));
    expect(result.ok).toBe(false);
  });
});

describe('satisfies', () => {
  it.each([
    ['1.2.3', '^1.2.3'],
    ['1.9.9', '^1.2.3'],
    ['0.2.5', '^0.2.3'],
    ['0.0.3', '^0.0.3'],
    ['1.2.9', '~1.2.3'],
    ['0.1.0', '>=0.1.0 <2'],
    ['1.99.0', '>=0.1.0 <2'],
    ['2.3.4', '1.2.3 - 2.3.4'],
    ['2.3.99', '1.2.3 - 2.3'],
    ['3.1.0', '^1 || ^3'],
    ['1.2.3+build.5', '1.2.3'],
    ['5.0.0', '*'],
  ])('%s satisfies %j', (version, range) => {
    expect(matches(version, range)).toBe(true);
  });

  it.each([
    ['2.0.0', '^1.2.3'],
    ['1.2.2', '^1.2.3'],
    ['0.3.0', '^0.2.3'],
    ['0.0.4', '^0.0.3'],
    ['1.3.0', '~1.2.3'],
    ['2.0.0', '>=0.1.0 <2'],
    ['0.0.9', '>=0.1.0 <2'],
    ['2.3.5', '1.2.3 - 2.3.4'],
    ['2.0.0', '^1 || ^3'],
    ['0.0.0', '<*'],
  ])('%s does not satisfy %j', (version, range) => {
    expect(matches(version, range)).toBe(false);
  });

  describe('pre-releases (npm rule by default)', () => {
    it('a pre-release passes only when the range names a pre-release of the same core version', () => {
      expect(matches('1.2.3-beta.2', '^1.2.3-beta.1')).toBe(true);
      expect(matches('1.2.4-beta.1', '^1.2.3-beta.1')).toBe(false);
      expect(matches('1.5.0-rc.1', '>=1.0.0 <2')).toBe(false);
      expect(matches('1.0.0-rc.1', '>=1.0.0-rc.0')).toBe(true);
      expect(matches('1.0.0-alpha', '>=1.0.0-rc.0')).toBe(false);
    });

    it('a pre-release of the upper bound never sneaks in', () => {
      expect(matches('2.0.0-beta.1', '^1.2.3')).toBe(false);
      expect(matches('2.0.0-beta.1', '^1.2.3', { includePrerelease: true })).toBe(false);
      expect(matches('1.3.0-0', '~1.2.3', { includePrerelease: true })).toBe(false);
    });

    it('includePrerelease compares pre-releases by precedence alone', () => {
      expect(matches('1.5.0-rc.1', '>=1.0.0 <2', { includePrerelease: true })).toBe(true);
      expect(matches('1.0.0-rc.1', '>=1.0.0', { includePrerelease: true })).toBe(false);
      expect(matches('1.0.0-rc.1', '^1', { includePrerelease: true })).toBe(true);
      expect(matches('1.0.0-rc.1', '*', { includePrerelease: true })).toBe(true);
      expect(matches('1.0.0-rc.1', '*')).toBe(false);
    });
  });
});

// Differential check against npm's own implementation (a devDependency, used only here).
interface NodeSemver {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
}
const nodeSemver = createRequire(import.meta.url)('semver') as NodeSemver;

describe('agrees with node-semver', () => {
  it('including "* || <pre-release>", which npm collapses to "*"', () => {
    expect(matches('1.2.3-0', '* || 1.2.3-0')).toBe(false);
    expect(matches('1.2.3-0', '0 - * || 1.2.3-0')).toBe(false);
    expect(nodeSemver.satisfies('1.2.3-0', '* || 1.2.3-0')).toBe(false);
    expect(nodeSemver.satisfies('1.2.3-0', '0 - * || 1.2.3-0')).toBe(false);
  });

  const small = fc.integer({ min: 0, max: 3 });
  const pre = fc.option(fc.constantFrom('0', 'alpha', 'alpha.1', 'beta', 'rc.1', '1'), { nil: undefined });
  const version = fc
    .tuple(small, small, small, pre)
    .map(([a, b, c, p]) => `${a}.${b}.${c}${p === undefined ? '' : `-${p}`}`);
  const xr = fc.oneof(small.map(String), fc.constantFrom('x', '*'));
  const partial = fc.oneof(
    version,
    fc.tuple(small, small).map(([a, b]) => `${a}.${b}`),
    small.map(String),
    fc.tuple(small, xr).map(([a, b]) => `${a}.${b}`),
    fc.constant('*'),
  );
  const simple = fc
    .tuple(fc.constantFrom('', '=', '<', '<=', '>', '>=', '~', '^'), partial)
    .map(([op, p]) => `${op}${p}`);
  const set = fc.oneof(
    fc.array(simple, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' ')),
    fc.tuple(partial, partial).map(([a, b]) => `${a} - ${b}`),
  );
  const range = fc.array(set, { minLength: 1, maxLength: 3 }).map((sets) => sets.join(' || '));

  it.each([false, true])('on random versions and ranges (includePrerelease: %s)', (includePrerelease) => {
    fc.assert(
      fc.property(version, range, (v, r) => {
        expect(matches(v, r, { includePrerelease }), `${v} in ${r}`).toBe(
          nodeSemver.satisfies(v, r, { includePrerelease }),
        );
      }),
      { numRuns: Number(process.env['SEMVER_RUNS'] ?? 3000) },
    );
  });

  it('formatVersion output is accepted by node-semver', () => {
    expect(nodeSemver.satisfies(formatVersion(parseVersion('1.2.3-rc.1')!), '1.2.3-rc.1')).toBe(true);
  });
});
