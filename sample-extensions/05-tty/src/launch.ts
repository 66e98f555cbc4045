// Where the plugin is, and how to start it the way an app does.
import { fileURLToPath } from 'node:url';
import {
  startExtension,
  typeScriptNodeArgs,
  type PluginClient,
  type StartExtensionOptions,
} from '@tether/extension-host';
import { handshake } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest). */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/** Node flags that run this sample's TypeScript (its host, in tests) from source. */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = typeScriptNodeArgs();

/** Starts the plugin in a pseudo-terminal (its manifest says "runner": "pty"); `client.terminal` is set. */
export async function startTty(
  options: Omit<StartExtensionOptions, 'handshake'> = {},
): Promise<PluginClient> {
  const { client } = await startExtension(extensionDir, { ...options, handshake });
  return client;
}
