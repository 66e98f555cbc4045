/**
 * Semver ranges, with npm's (node-semver's) grammar and meaning: comparators `< <= > >= =`, caret `^`,
 * tilde `~`, x-ranges (`1.x`, `1.2.*`, `*`, partial versions like `1.2`), hyphen ranges (`1.2 - 2.3.4`),
 * space for "and", `||` for "or".
 *
 * Pre-releases follow npm: by default a pre-release version (`2.0.0-beta.1`) satisfies a range only when a
 * comparator of the same set names a pre-release of the same `major.minor.patch` (`>=2.0.0-beta.0`), so a
 * range never picks up unstable versions by accident. `includePrerelease: true` lifts that rule and treats
 * pre-releases by plain precedence (`>=1.0.0 <2` then includes `1.5.0-rc.1`, still not `2.0.0-rc.1`).
 */
import { compareVersions, formatVersion, type SemVer } from './semver.js';

export type ComparatorOperator = '<' | '<=' | '>' | '>=' | '=';

export interface Comparator {
  readonly operator: ComparatorOperator;
  readonly version: SemVer;
}

export interface SemVerRangeOptions {
  /** Let pre-release versions satisfy the range by precedence alone (see the module comment). */
  readonly includePrerelease?: boolean;
}

/** A parsed range: a version satisfies it when it satisfies every comparator of at least one set. */
export interface SemVerRange {
  /** The range as written (trimmed). */
  readonly raw: string;
  /** Comparator sets joined by `||`; an empty set matches every version. */
  readonly sets: readonly (readonly Comparator[])[];
  readonly includePrerelease: boolean;
}

export type ParseRangeResult =
  { readonly ok: true; readonly range: SemVerRange } | { readonly ok: false; readonly error: string };

/** Longest range text accepted; real ranges are a few dozen characters. */
export const MAX_RANGE_LENGTH = 1024;

/** A version with some parts left open: `undefined` is a wildcard (`x`, `*`, or missing). */
interface PartialVersion {
  readonly major: number | undefined;
  readonly minor: number | undefined;
  readonly patch: number | undefined;
  readonly prerelease: readonly (string | number)[];
}

const xr = '(x|X|\\*|0|[1-9]\\d*)';
const identifier = '[0-9A-Za-z-]+';
const partialPattern = new RegExp(
  `^v?${xr}(?:\\.${xr}(?:\\.${xr}(?:-(${identifier}(?:\\.${identifier})*))?(?:\\+${identifier}(?:\\.${identifier})*)?)?)?$`,
);
const simplePattern = /^(<=|>=|<|>|=|~|\^)?(.*)$/;

/** Parses a semver range. Returns a reason (for a user-facing message) when `text` is not one. */
export function parseRange(text: string, options: SemVerRangeOptions = {}): ParseRangeResult {
  const includePrerelease = options.includePrerelease ?? false;
  const raw = text.trim();
  if (raw.length > MAX_RANGE_LENGTH) {
    return { ok: false, error: `it is longer than ${MAX_RANGE_LENGTH} characters` };
  }
  const sets: Comparator[][] = [];
  for (const part of raw.split('||')) {
    const result = parseComparatorSet(part.trim(), includePrerelease);
    if (typeof result === 'string') return { ok: false, error: result };
    // npm treats `>=0.0.0` (`>=0.0.0-0` with pre-releases) as "any": it bounds nothing, so it is dropped.
    sets.push(result.filter((comparator) => !isGreaterOrEqualZero(comparator, includePrerelease)));
  }
  // As npm (node-semver) does: a range with a set that admits every version is just that set ("*"). With
  // pre-releases excluded this also drops explicit pre-release sets (`* || 1.2.3-0` refuses 1.2.3-0);
  // extensions are matched the way npm would match them.
  if (sets.length > 1 && sets.some(admitsEverything)) {
    return { ok: true, range: { raw, sets: [[]], includePrerelease } };
  }
  return { ok: true, range: { raw, sets, includePrerelease } };
}

/** A set with no comparators (`*`, or only `>=0.0.0`, dropped above) admits every version. */
function admitsEverything(set: readonly Comparator[]): boolean {
  return set.length === 0;
}

/** `>=0.0.0`, or `>=0.0.0-0` when pre-releases are included: what npm rewrites to `*`. */
function isGreaterOrEqualZero(comparator: Comparator, includePrerelease: boolean): boolean {
  const { major, minor, patch, prerelease } = comparator.version;
  if (comparator.operator !== '>=' || major !== 0 || minor !== 0 || patch !== 0) return false;
  return includePrerelease
    ? prerelease.length === 1 && String(prerelease[0]) === '0'
    : prerelease.length === 0;
}

function parseComparatorSet(text: string, includePrerelease: boolean): Comparator[] | string {
  if (text === '') return [];
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen !== null) {
    const from = parsePartial(hyphen[1]!);
    const to = parsePartial(hyphen[2]!);
    if (typeof from === 'string') return from;
    if (typeof to === 'string') return to;
    // npm quirk, kept for compatibility: with includePrerelease, `1.2.3 - 2` also admits 1.2.3's pre-releases.
    const lower =
      includePrerelease && from.patch !== undefined && from.prerelease.length === 0
        ? [{ operator: '>=' as const, version: version(from.major!, from.minor!, from.patch, [0]) }]
        : lowerBound('>=', from, includePrerelease);
    return [...lower, ...upperBound('<=', to)];
  }
  // `>= 1.2.3` means `>=1.2.3`: glue operators to their version, then split on whitespace.
  const tokens = text.replace(/(<=|>=|<|>|=|~|\^)\s+/g, '$1').split(/\s+/);
  const comparators: Comparator[] = [];
  for (const token of tokens) {
    const [, operator = '', rest = ''] = simplePattern.exec(token)!;
    const partial = parsePartial(rest);
    if (typeof partial === 'string') return partial;
    comparators.push(...desugar(operator, partial, includePrerelease));
  }
  return comparators;
}

function parsePartial(text: string): PartialVersion | string {
  const match = partialPattern.exec(text);
  if (match === null) {
    return `${JSON.stringify(text)} is not a version or partial version (like 1.2.3, 1.2, 1.x or *)`;
  }
  const parts = [match[1], match[2], match[3]].map((part) =>
    part === undefined || part === 'x' || part === 'X' || part === '*' ? undefined : Number(part),
  );
  const firstWildcard = parts.indexOf(undefined);
  if (firstWildcard !== -1 && parts.slice(firstWildcard).some((part) => part !== undefined)) {
    return `${JSON.stringify(text)} has a number after a wildcard; write ${wildcardHint(parts)}`;
  }
  if (parts.some((part) => part !== undefined && !Number.isSafeInteger(part))) {
    return `${JSON.stringify(text)} has a number too large for a version`;
  }
  const identifiers = match[4] === undefined ? [] : match[4].split('.');
  if (identifiers.some((id) => /^0\d+$/.test(id))) {
    return `${JSON.stringify(text)} has a numeric pre-release identifier with a leading zero`;
  }
  if (identifiers.length > 0 && firstWildcard !== -1) {
    return `${JSON.stringify(text)} has a pre-release tag on a partial version; write all three numbers (like 1.2.0-beta.1)`;
  }
  const prerelease = identifiers.map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major: parts[0], minor: parts[1], patch: parts[2], prerelease };
}

function wildcardHint(parts: readonly (number | undefined)[]): string {
  const kept: string[] = [];
  for (const part of parts) {
    if (part === undefined) break;
    kept.push(String(part));
  }
  return kept.length === 0 ? '"*"' : `"${kept.join('.')}.x"`;
}

function version(
  major: number,
  minor: number,
  patch: number,
  prerelease: readonly (string | number)[] = [],
): SemVer {
  return { major, minor, patch, prerelease, build: [] };
}

/** The version a partial starts at (`1.2` → `1.2.0`); with includePrerelease, its lowest pre-release. */
function floor(partial: PartialVersion, includePrerelease: boolean): SemVer {
  const complete = partial.patch !== undefined;
  const prerelease = complete ? partial.prerelease : includePrerelease ? [0] : [];
  return version(partial.major ?? 0, partial.minor ?? 0, partial.patch ?? 0, prerelease);
}

/** The first version above a partial (`1` → `2.0.0-0`, `1.2` → `1.3.0-0`); only for partials. */
function ceiling(partial: PartialVersion): SemVer {
  if (partial.minor === undefined) return version(partial.major! + 1, 0, 0, [0]);
  return version(partial.major!, partial.minor + 1, 0, [0]);
}

const anyVersion: Comparator[] = [];
const noVersion: Comparator[] = [{ operator: '<', version: version(0, 0, 0, [0]) }];

function lowerBound(operator: '>=', partial: PartialVersion, includePrerelease: boolean): Comparator[] {
  if (partial.major === undefined) return anyVersion;
  return [{ operator, version: floor(partial, includePrerelease) }];
}

function upperBound(operator: '<=', partial: PartialVersion): Comparator[] {
  if (partial.major === undefined) return anyVersion;
  if (partial.patch === undefined) return [{ operator: '<', version: ceiling(partial) }];
  return [{ operator, version: floor(partial, false) }];
}

function desugar(operator: string, partial: PartialVersion, includePrerelease: boolean): Comparator[] {
  const { major, minor, patch } = partial;
  const exact = patch !== undefined;
  switch (operator) {
    case '':
    case '=':
      if (exact) return [{ operator: '=', version: floor(partial, false) }];
      return [...lowerBound('>=', partial, includePrerelease), ...upperBound('<=', partial)];
    case '>=':
      return lowerBound('>=', partial, includePrerelease);
    case '<=':
      return upperBound('<=', partial);
    case '>':
      if (major === undefined) return noVersion;
      if (exact) return [{ operator: '>', version: floor(partial, false) }];
      return [{ operator: '>=', version: withoutPrerelease(ceiling(partial), includePrerelease) }];
    case '<':
      if (major === undefined) return noVersion;
      return [{ operator: '<', version: exact ? floor(partial, false) : floor(partial, true) }];
    case '~': {
      if (major === undefined) return anyVersion;
      const upper = minor === undefined ? ceiling(partial) : version(major, minor + 1, 0, [0]);
      return [
        { operator: '>=', version: floor(partial, includePrerelease) },
        { operator: '<', version: upper },
      ];
    }
    case '^': {
      if (major === undefined) return anyVersion;
      let upper: SemVer;
      if (major > 0 || minor === undefined) upper = version(major + 1, 0, 0, [0]);
      else if (minor > 0 || patch === undefined) upper = version(0, minor + 1, 0, [0]);
      else upper = version(0, 0, patch + 1, [0]);
      return [
        { operator: '>=', version: floor(partial, includePrerelease) },
        { operator: '<', version: upper },
      ];
    }
    default:
      throw new Error(`unreachable operator ${operator}`);
  }
}

function withoutPrerelease(v: SemVer, includePrerelease: boolean): SemVer {
  return includePrerelease ? v : version(v.major, v.minor, v.patch);
}

function test(comparator: Comparator, v: SemVer): boolean {
  const order = compareVersions(v, comparator.version);
  switch (comparator.operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
  }
}

/** The comparators of `set` that `v` fails (empty when it satisfies the set). */
export function failedComparators(set: readonly Comparator[], v: SemVer): Comparator[] {
  return set.filter((comparator) => !test(comparator, v));
}

function satisfiesSet(set: readonly Comparator[], v: SemVer, includePrerelease: boolean): boolean {
  if (failedComparators(set, v).length > 0) return false;
  if (v.prerelease.length === 0 || includePrerelease) return true;
  // npm's rule: a pre-release only passes when the set opts into pre-releases of the same core version.
  return set.some(
    ({ version: c }) =>
      c.prerelease.length > 0 && c.major === v.major && c.minor === v.minor && c.patch === v.patch,
  );
}

/** True when `v` satisfies `range`. */
export function satisfies(v: SemVer, range: SemVerRange): boolean {
  return range.sets.some((set) => satisfiesSet(set, v, range.includePrerelease));
}

/** The range's comparators as text, one set per `||` (`^1.2` → `>=1.2.0 <2.0.0-0`); for messages and tests. */
export function formatRange(range: SemVerRange): string {
  return range.sets
    .map((set) =>
      set.length === 0 ? '*' : set.map((c) => `${c.operator}${formatVersion(c.version)}`).join(' '),
    )
    .join(' || ');
}
