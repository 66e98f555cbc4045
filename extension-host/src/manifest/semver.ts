/**
 * Semantic versions (SemVer 2.0.0): parse, compare, format. Strict: no leading `v`, no leading zeros in
 * numeric parts, numbers within `Number.MAX_SAFE_INTEGER`. Ranges live in `semver-range.ts`.
 */

export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release identifiers (`1.0.0-beta.2` → `['beta', 2]`); numeric ones are numbers. */
  readonly prerelease: readonly (string | number)[];
  /** Build metadata (`+sha.5114f85`); ignored by comparison. */
  readonly build: readonly string[];
}

const numericPart = '0|[1-9]\\d*';
const prereleasePart = `(?:${numericPart}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const buildPart = '[0-9A-Za-z-]+';
const versionPattern = new RegExp(
  `^(${numericPart})\\.(${numericPart})\\.(${numericPart})` +
    `(?:-(${prereleasePart}(?:\\.${prereleasePart})*))?` +
    `(?:\\+(${buildPart}(?:\\.${buildPart})*))?$`,
);

/** Parses a strict semantic version, or returns `undefined` when `text` is not one. */
export function parseVersion(text: string): SemVer | undefined {
  const match = versionPattern.exec(text);
  if (match === null) return undefined;
  const [, major, minor, patch, pre, build] = match;
  const numbers = [major, minor, patch].map(Number);
  if (!numbers.every((n) => Number.isSafeInteger(n))) return undefined;
  const prerelease = pre === undefined ? [] : pre.split('.').map(toPrereleaseIdentifier);
  if (prerelease.some((id) => typeof id === 'number' && !Number.isSafeInteger(id))) return undefined;
  return {
    major: numbers[0]!,
    minor: numbers[1]!,
    patch: numbers[2]!,
    prerelease,
    build: build === undefined ? [] : build.split('.'),
  };
}

/** True when `text` is a strict semantic version. */
export function isValidVersion(text: string): boolean {
  return parseVersion(text) !== undefined;
}

function toPrereleaseIdentifier(id: string): string | number {
  return /^\d+$/.test(id) ? Number(id) : id;
}

/** Formats a version back to text (build metadata included when present). */
export function formatVersion(version: SemVer): string {
  let text = `${version.major}.${version.minor}.${version.patch}`;
  if (version.prerelease.length > 0) text += `-${version.prerelease.join('.')}`;
  if (version.build.length > 0) text += `+${version.build.join('.')}`;
  return text;
}

/** SemVer precedence: negative when `a < b`, 0 when equal (build metadata ignored), positive when `a > b`. */
export function compareVersions(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a, b);
}

function comparePrerelease(a: SemVer, b: SemVer): number {
  // A version without pre-release identifiers ranks above any pre-release of the same core version.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i++) {
    const x = a.prerelease[i]!;
    const y = b.prerelease[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // Numeric identifiers rank below alphanumeric ones; alphanumerics compare in ASCII order.
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.prerelease.length - b.prerelease.length;
}
