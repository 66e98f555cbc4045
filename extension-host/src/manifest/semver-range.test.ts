// How we use the `semver` package for ranges: strict mode, npm's meaning, our reasons for refusals, and the
// comparators a version fails. Once a differential test of a hand-written parser against node-semver; the
// cases are kept, now as a record of what the library does with the ranges extensions write.
import fc from 'fast-check';
import { satisfies as semverSatisfies, type Range } from 'semver';
import { describe, expect, it } from 'vitest';
import { failedComparators, parseRange, type SemVerRangeOptions } from './semver-range.js';
import { parseVersion } from './semver.js';

function parsed(range: string, options?: SemVerRangeOptions): Range {
  const result = parseRange(range, options);
  if (!result.ok) throw new Error(`bad range ${range}: ${result.error}`);
  return result.range;
}

function matches(version: string, range: string, options?: SemVerRangeOptions): boolean {
  return parsed(range, options).test(parseVersion(version)!);
}

/** The range's comparators, one set per `||` (`^1.2` → `>=1.2.0 <2.0.0-0`); `*` for a set that admits all. */
function desugared(range: string, options?: SemVerRangeOptions): string {
  return parsed(range, options)
    .set.map((set) => set.map((c) => c.value).join(' ') || '*')
    .join(' || ');
}

describe('parseRange desugars like npm', () => {
  it.each([
    ['*', '*'],
    ['', '*'],
    ['x', '*'],
    ['1.2.3', '1.2.3'], // the library writes "=" as no operator
    ['=1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
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
    // Same versions as `<=2.3.4`: nothing lies between 2.3.4 and 2.3.5-0.
    expect(desugared('1.2.3 - 2.3.4', { includePrerelease: true })).toBe('>=1.2.3-0 <2.3.5-0');
  });

  it.each([
    ['~>1.2', '~1.2'],
    ['1.2.x-beta', '1.2.x'],
    ['^v1.2', '^1.2'],
    ['= 1.2.3', '1.2.3'],
    ['>=1.2.3+build.5 <2', '>=1.2.3 <2'],
  ])('accepts %j as %j (more lenient than the parser it replaced, and harmless)', (range, same) => {
    expect(desugared(range)).toBe(desugared(same));
  });

  it.each([
    ['>=', '">=" has no version after it'],
    ['1.2.3.4', '"1.2.3.4" is not a version or partial version (like 1.2.3, 1.2, 1.x or *)'],
    ['abc', '"abc" is not a version'],
    ['>=1.2.3 <', '"<" has no version after it'],
    ['>= 1.2.3 || >=one', '"one" is not a version'],
    ['>=~1.2', '">=~1.2" is not a version'],
    ['^99999999999999999999', '"99999999999999999999" has a number too large for a version'],
    ['1.x.3', '"1.x.3" is not a version'],
    ['*.2', '"*.2" is not a version'],
    ['1.2.3-01', '"1.2.3-01" is not a version'],
    ['1.2.3 - ', '"-" is not a version'],
    ['99999999999999999999.0.0', 'has a number too large for a version'],
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

describe('agrees with semver.satisfies, and failedComparators explains a refusal', () => {
  it('including "* || <pre-release>", which npm collapses to "*"', () => {
    expect(matches('1.2.3-0', '* || 1.2.3-0')).toBe(false);
    expect(matches('1.2.3-0', '0 - * || 1.2.3-0')).toBe(false);
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
  const numRuns = Number(process.env['SEMVER_RUNS'] ?? 3000);

  it.each([false, true])('on random versions and ranges (includePrerelease: %s)', (includePrerelease) => {
    fc.assert(
      fc.property(version, range, (v, r) => {
        expect(matches(v, r, { includePrerelease }), `${v} in ${r}`).toBe(
          semverSatisfies(v, r, { includePrerelease }),
        );
      }),
      { numRuns },
    );
  });

  // checkHostCompatibility's too-old / too-new advice rests on this: with includePrerelease, a version is
  // refused exactly when every set has a comparator it fails.
  it('a version is refused exactly when every set has a failed comparator (includePrerelease)', () => {
    fc.assert(
      fc.property(version, range, (v, r) => {
        const host = parseVersion(v)!;
        const parsedRange = parsed(r, { includePrerelease: true });
        const explained = parsedRange.set.some((s) => failedComparators(s, host).length === 0);
        expect(explained, `${v} in ${r}`).toBe(parsedRange.test(host));
      }),
      { numRuns },
    );
  });

  it('failedComparators names the bound a version misses', () => {
    const host = parseVersion('2.0.0')!;
    const [bounds] = parsed('>=1.2.3 <2').set;
    expect(failedComparators(bounds!, host).map((c) => c.value)).toEqual(['<2.0.0-0']);
    expect(failedComparators(bounds!, parseVersion('1.5.0')!)).toEqual([]);
  });
});
