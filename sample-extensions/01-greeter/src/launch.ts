// Starts the greeter plugin the way an app does: read the manifest, launch its entry, do the handshake.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startExtension, type PluginClient, type PluginClientOptions } from '@tether/extension-host';
import { handshake } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest). */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Node flags that let the TypeScript entry run as is: the SDK's source export condition and tsx's loader
 * (as an absolute URL, so it resolves whatever the plugin's working directory). A built extension whose
 * entry is JavaScript needs neither.
 */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = [
  '--conditions=tether-source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
];

/** Launches the plugin named by the manifest; `options` can add a runner, timeouts, … */
export async function startGreeter(
  options: Omit<PluginClientOptions, 'spec' | 'handshake'> = {},
): Promise<PluginClient> {
  const { client } = await startExtension(extensionDir, { ...options, handshake });
  return client;
}
