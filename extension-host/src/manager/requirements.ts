import semver from 'semver';
import type { ExtensionManifest } from '../manifest/manifest.js';

/** An extension that could provide services to another. */
export interface Provider {
  readonly id: string;
  readonly manifest: ExtensionManifest | undefined;
  readonly enabled: boolean;
}

/**
 * The enabled extension (other than `self`) that serves `service` at a protocol version in `range` (protocol
 * version 2 reads as 2.0.0), or undefined.
 */
export function providerOf(
  service: string,
  range: string,
  providers: Iterable<Provider>,
  self: string,
): Provider | undefined {
  for (const provider of providers) {
    if (provider.id === self || !provider.enabled) continue;
    const versions = provider.manifest?.services.get(service);
    if (versions?.some((version) => semver.satisfies(`${version}.0.0`, range))) return provider;
  }
  return undefined;
}

/** One line per requirement of `manifest` that no enabled extension meets (empty when all are met). */
export function unmetRequirements(manifest: ExtensionManifest, providers: Iterable<Provider>): string[] {
  const all = [...providers];
  const unmet: string[] = [];
  for (const [service, range] of manifest.requires) {
    if (providerOf(service, range, all, manifest.name) !== undefined) continue;
    const offered = all
      .filter((p) => p.id !== manifest.name && p.manifest?.services.has(service))
      .map(
        (p) =>
          `${p.id} serves it at ${p.manifest!.services.get(service)!.join(', ')}${p.enabled ? '' : ' (disabled)'}`,
      );
    unmet.push(
      `service "${service}" at ${range}: ${offered.length === 0 ? 'no installed extension serves it' : offered.join('; ')}`,
    );
  }
  return unmet;
}
