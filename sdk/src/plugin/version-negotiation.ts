// App protocol version negotiation (protocol.md section 5.2): the newest version both sides support.
import { TetherError } from '../errors/tether-error.js';

/**
 * The newest app protocol version in both lists. Throws TetherError('NO_COMMON_VERSION') listing both
 * sides' versions and which side to update.
 */
export function negotiateVersion(pluginVersions: readonly number[], appVersions: readonly number[]): number {
  const app = new Set(appVersions);
  let best: number | undefined;
  for (const version of pluginVersions) {
    if (app.has(version) && (best === undefined || version > best)) best = version;
  }
  if (best !== undefined) return best;
  const plugin = [...new Set(pluginVersions)].sort((a, b) => a - b);
  const ours = [...app].sort((a, b) => a - b);
  const newestPlugin = plugin.at(-1) ?? 0;
  const oldestApp = ours[0] ?? 0;
  const advice =
    newestPlugin < oldestApp
      ? 'update the plugin to a release that serves one of the app’s versions'
      : (plugin[0] ?? 0) > (ours.at(-1) ?? 0)
        ? 'update the app, or install an older release of the plugin'
        : 'update the plugin or the app';
  throw new TetherError(
    'NO_COMMON_VERSION',
    `No common protocol version: the plugin serves ${describe(plugin)}; this app supports ${describe(ours)}; ${advice}.`,
  );
}

function describe(versions: readonly number[]): string {
  if (versions.length === 0) return 'no versions';
  return `${versions.length === 1 ? 'version' : 'versions'} ${versions.join(', ')}`;
}
