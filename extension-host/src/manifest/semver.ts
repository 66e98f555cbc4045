/**
 * Semantic versions as Tether accepts them (a manifest's `version`, the host's own version): parsed by the
 * `semver` package in strict mode (SemVer 2.0.0, numbers within `Number.MAX_SAFE_INTEGER`, at most 256
 * characters), and written the one canonical way: no leading `v` and no surrounding whitespace, which the
 * library would otherwise strip. One version, one spelling. Ranges live in `semver-range.ts`.
 */
import { parse, type SemVer } from 'semver';

/** Parses a strict, canonically written semantic version, or returns `undefined` when `text` is not one. */
export function parseVersion(text: string): SemVer | undefined {
  const version = parse(text);
  if (version === null || text !== canonical(version)) return undefined;
  return version;
}

/** True when `text` is a strict, canonically written semantic version. */
export function isValidVersion(text: string): boolean {
  return parseVersion(text) !== undefined;
}

/** The version as text, build metadata included (the library's `version` leaves it out). */
function canonical(version: SemVer): string {
  return version.build.length === 0 ? version.version : `${version.version}+${version.build.join('.')}`;
}
