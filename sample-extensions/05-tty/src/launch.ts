// Where the plugin is, and how to start it the way an app does.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startExtension, type PluginClient, type StartExtensionOptions } from '@tether/extension-host';
import { handshake } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest). */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/** Node flags that let the TypeScript entry run as is (the SDK's source condition and tsx's loader). */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = [
  '--conditions=tether-source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
];

/** Starts the plugin in a pseudo-terminal (its manifest says "runner": "pty"); `client.terminal` is set. */
export async function startTty(
  options: Omit<StartExtensionOptions, 'handshake'> = {},
): Promise<PluginClient> {
  const { client } = await startExtension(extensionDir, { ...options, handshake });
  return client;
}
