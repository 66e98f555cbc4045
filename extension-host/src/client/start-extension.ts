import path from 'node:path';
import { TetherError, type HandshakeConfig } from '@tether/sdk';
import { SOURCE_START_TIMEOUT_MS } from '../constants.js';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { ExecutableRunner } from '../runner/executable-runner.js';
import { NodeRunner } from '../runner/node-runner.js';
import { PtyRunner } from '../runner/pty-runner.js';
import type { PtyRunnerOptions } from '../runner/pty-runner-options.js';
import type { LaunchSpec, Runner } from '../runner/runner.js';
import { PluginClient } from './plugin-client.js';
import type { PluginClientOptions } from './plugin-client-options.js';
import { typeScriptNodeArgs } from '../process/typescript-node-args.js';

export interface StartExtensionOptions extends Omit<PluginClientOptions, 'spec' | 'handshake'> {
  /** The app's magic cookie; default: the manifest's `tether.handshake`. */
  readonly handshake?: HandshakeConfig;
  /** Extra variables for the plugin's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Options of the runner picked from the manifest (ignored when `runner` is given). The terminal fields
   * (`terminalSize`, `terminalBacklogBytes`) apply to a `"runner": "pty"` extension only; the client's
   * `terminal` is then its terminal.
   */
  readonly runnerOptions?: PtyRunnerOptions;
}

/**
 * Starts an installed extension from its folder the way an app does: reads and validates its manifest,
 * checks the host version it needs, picks the runner its manifest asks for, verifies its `sha256` when it
 * has one, offers every app protocol version it lists unless `versions` says otherwise, and exposes only
 * the `hostServices` whose names its manifest lists in `hostApis`. An entry written
 * in TypeScript (development) runs through tsx with the workspace packages' sources, with a start timeout of
 * SOURCE_START_TIMEOUT_MS unless `startTimeoutMs` says otherwise.
 */
export async function startExtension(
  extensionDir: string,
  options: StartExtensionOptions = {},
): Promise<{ client: PluginClient; manifest: ExtensionManifest }> {
  const dir = path.resolve(extensionDir);
  const manifest = await readManifest(dir);
  checkHostCompatibility(manifest);
  const { handshake = manifest.handshake, env, runnerOptions, ...clientOptions } = options;
  if (handshake === undefined) {
    throw new TetherError(
      'INVALID_MANIFEST',
      `Extension "${manifest.name}" has no tether.handshake in its package.json, and none was given: add the magic cookie of the app it is built for, e.g. "handshake": { "cookieKey": "MY_APP_PLUGIN", "cookieValue": "…" } (the values of its contract module).`,
    );
  }
  const fromSource = isSourceEntry(manifest);
  const spec = extensionLaunchSpec(dir, manifest, env);
  // Capability-scoped host API: the plugin gets only the host services its manifest asks for.
  const hostServices = (clientOptions.hostServices ?? []).filter((binding) =>
    manifest.hostApis.includes(binding.definition.name),
  );
  const client = await PluginClient.start({
    versions: [...new Set([...manifest.services.values()].flat())].sort((a, b) => a - b),
    runner: runnerFor(manifest, runnerOptions),
    // Compiling TypeScript on the fly takes seconds on a busy machine: a longer default for sources.
    ...(fromSource ? { startTimeoutMs: SOURCE_START_TIMEOUT_MS } : {}),
    ...clientOptions,
    hostServices,
    spec,
    handshake,
  });
  return { client, manifest };
}

/** True when the extension's entry is TypeScript (development): it runs through tsx, and starts slower. */
export function isSourceEntry(manifest: ExtensionManifest): boolean {
  return /\.[cm]?ts$/.test(manifest.entry);
}

/** What to launch for the extension installed in `dir`: its entry, folder, checksum and (for sources) tsx. */
export function extensionLaunchSpec(
  dir: string,
  manifest: ExtensionManifest,
  env: Readonly<Record<string, string>> | undefined,
): LaunchSpec {
  return {
    name: manifest.name,
    entry: path.join(dir, manifest.entry),
    cwd: dir,
    ...(manifest.sha256 === undefined ? {} : { sha256: manifest.sha256 }),
    ...(env === undefined ? {} : { env }),
    ...(isSourceEntry(manifest) ? { nodeArgs: typeScriptNodeArgs() } : {}),
  };
}

/** The runner an extension's manifest asks for, outside Electron (`utility` extensions run as Node children). */
export function runnerFor(manifest: ExtensionManifest, options: PtyRunnerOptions | undefined): Runner {
  switch (manifest.runner) {
    case 'executable':
      return new ExecutableRunner(options);
    case 'node':
    case 'utility':
      // A utility-process extension is Node code: outside Electron it runs as a Node child process.
      return new NodeRunner(options);
    case 'pty':
      return new PtyRunner(options);
    default:
      // Every kind a parsed manifest can name is handled above; this guards a manifest built by hand.
      throw new TetherError(
        'INVALID_OPTIONS',
        `Extension "${manifest.name}" asks for the "${String(manifest.runner)}" runner, which this host does not know; use "node", "utility", "pty" or "executable".`,
      );
  }
}
