/**
 * Semver ranges (a manifest's `tether.host`), parsed and matched by the `semver` package: npm's grammar and
 * meaning, strict mode (no `loose`). What this module adds: a length limit, a reason a person can act on
 * when the text is not a range, and the comparators a version fails (for "too old" / "too new" advice).
 *
 * Pre-releases follow npm: by default a pre-release version (`2.0.0-beta.1`) satisfies a range only when a
 * comparator of the same set names a pre-release of the same `major.minor.patch` (`>=2.0.0-beta.0`), so a
 * range never picks up unstable versions by accident. `includePrerelease: true` lifts that rule and treats
 * pre-releases by plain precedence (`>=1.0.0 <2` then includes `1.5.0-rc.1`, still not `2.0.0-rc.1`).
 */
import { Range, type Comparator, type SemVer } from 'semver';

export interface SemVerRangeOptions {
  /** Let pre-release versions satisfy the range by precedence alone (see the module comment). */
  readonly includePrerelease?: boolean;
}

export type ParseRangeResult =
  { readonly ok: true; readonly range: Range } | { readonly ok: false; readonly error: string };

/** Longest range text accepted; real ranges are a few dozen characters. */
export const MAX_RANGE_LENGTH = 1024;

const operatorThenSpace = /(<=|>=|<|>|=|~>?|\^)\s+/g;
const operatorAndVersion = /^(<=|>=|<|>|=|~>?|\^)?(.*)$/;
const tooLargeMessage = /^Invalid (major|minor|patch) version$/;

/** Parses a semver range. Returns a reason (for a user-facing message) when `text` is not one. */
export function parseRange(text: string, options: SemVerRangeOptions = {}): ParseRangeResult {
  if (text.trim().length > MAX_RANGE_LENGTH) {
    return { ok: false, error: `it is longer than ${MAX_RANGE_LENGTH} characters` };
  }
  const includePrerelease = options.includePrerelease ?? false;
  try {
    return { ok: true, range: new Range(text, { includePrerelease }) };
  } catch (error) {
    return { ok: false, error: whyNotARange(text, error) };
  }
}

/**
 * Names the first part of `text` (in the author's own words) that the library refuses on its own, and why.
 * Only wording: whether `text` is a range is the library's call, made above.
 */
function whyNotARange(text: string, error: unknown): string {
  for (const set of text.split('||')) {
    // `>= 1.2.3` is one part, `>=1.2.3`; the `-` of a hyphen range (`1.2 - 2.3.4`) is not a part.
    const parts = set.trim().replace(operatorThenSpace, '$1').split(/\s+/);
    for (const [index, part] of parts.entries()) {
      if (part === '-' && index > 0 && index < parts.length - 1) continue;
      const problem = partProblem(part);
      if (problem !== undefined) return problem;
    }
  }
  return `the semver package refuses it (${error instanceof Error ? error.message : String(error)})`;
}

function partProblem(part: string): string | undefined {
  if (rangeError(part) === undefined) return undefined;
  const [, operator = '', version = ''] = operatorAndVersion.exec(part)!;
  if (version === '') return `${JSON.stringify(operator)} has no version after it`;
  // Point at the version (`"one"` in `>=one`) unless it is fine alone and only the combination is not.
  const culprit = operator !== '' && rangeError(version) !== undefined ? version : part;
  const error = rangeError(culprit);
  if (error instanceof TypeError && tooLargeMessage.test(error.message)) {
    return `${JSON.stringify(culprit)} has a number too large for a version`;
  }
  return `${JSON.stringify(culprit)} is not a version or partial version (like 1.2.3, 1.2, 1.x or *)`;
}

/** What the library throws for `text` as a range, or `undefined` when it is one. */
function rangeError(text: string): unknown {
  try {
    new Range(text);
    return undefined;
  } catch (error) {
    return error ?? new Error('not a range');
  }
}

/** The comparators of `set` (one of `range.set`) that `version` fails; empty when it satisfies them all. */
export function failedComparators(set: readonly Comparator[], version: SemVer): Comparator[] {
  return set.filter((comparator) => !comparator.test(version));
}
