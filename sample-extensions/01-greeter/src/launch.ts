// Starts the greeter plugin the way an app does: read the manifest, launch its entry, do the handshake.
import { fileURLToPath } from 'node:url';
import {
  startExtension,
  typeScriptNodeArgs,
  type PluginClient,
  type PluginClientOptions,
} from '@tether/extension-host';
import { handshake } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest). */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/** Node flags that run this sample's TypeScript (its host, in tests) from source. */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = typeScriptNodeArgs();

/** Launches the plugin named by the manifest; `options` can add a runner, timeouts, … */
export async function startGreeter(
  options: Omit<PluginClientOptions, 'spec' | 'handshake'> = {},
): Promise<PluginClient> {
  const { client } = await startExtension(extensionDir, { ...options, handshake });
  return client;
}
