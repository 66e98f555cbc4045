import { TetherError } from '@tether/sdk';
import { HOST_VERSION } from './host-version.js';
import type { ExtensionManifest } from './manifest.js';
import { failedComparators, parseRange } from './semver-range.js';
import { parseVersion } from './semver.js';

export interface HostCompatibilityOptions {
  /** The running host's version; defaults to this package's {@link HOST_VERSION}. */
  readonly hostVersion?: string;
  /** What the user calls the host, in messages: "app" (default) or, say, "tether CLI". */
  readonly hostLabel?: string;
}

/**
 * Checks the manifest's `host` range against the running host version. Pre-release hosts are compared by
 * plain precedence (`includePrerelease`): a `1.0.0-beta.2` host satisfies `>=0.1.0` but not `>=1.0.0`,
 * so testing a pre-release app does not refuse every extension.
 * @throws TetherError `INCOMPATIBLE_HOST` saying what the extension needs and what to do.
 */
export function checkHostCompatibility(
  manifest: Pick<ExtensionManifest, 'name' | 'version' | 'host'>,
  options: HostCompatibilityOptions = {},
): void {
  const hostVersion = options.hostVersion ?? HOST_VERSION;
  const label = options.hostLabel ?? 'app';
  const parsedHost = parseVersion(hostVersion);
  if (parsedHost === undefined) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Host version ${JSON.stringify(hostVersion)} is not a semantic version.`,
    );
  }
  const result = parseRange(manifest.host, { includePrerelease: true });
  if (!result.ok) {
    throw new TetherError(
      'INVALID_MANIFEST',
      `Extension "${manifest.name}" has an invalid tether.host range ${JSON.stringify(manifest.host)}: ${result.error}.`,
    );
  }
  if (result.range.test(parsedHost)) return;

  // Which way is it off? Too old when every set fails only on lower bounds, too new when only on upper ones.
  const failures = result.range.set.flatMap((set) => failedComparators(set, parsedHost));
  const tooOld = failures.every((c) => c.operator === '>' || c.operator === '>=');
  const tooNew = failures.every((c) => c.operator === '<' || c.operator === '<=');
  const advice = tooOld
    ? `update the ${label} or install an older version of the extension`
    : tooNew
      ? `update the extension (or use an older ${label})`
      : `install a version of the extension made for this ${label}`;
  throw new TetherError(
    'INCOMPATIBLE_HOST',
    `Extension "${manifest.name}" ${manifest.version} needs a Tether host ${manifest.host}; this ${label} has ${hostVersion}; ${advice}.`,
  );
}
