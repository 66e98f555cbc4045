// Starts the counter plugin the way an app does: read the manifest, launch its entry, expose the host
// services it asks for (its manifest's `hostApis`), do the handshake.
import { fileURLToPath } from 'node:url';
import { implement } from '@tether/sdk';
import {
  startExtension,
  typeScriptNodeArgs,
  type PluginClient,
  type PluginClientOptions,
} from '@tether/extension-host';
import { counterStorage, handshake, type CounterStorage } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest). */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/** Node flags that run this sample's TypeScript (its host, in tests) from source. */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = typeScriptNodeArgs();

export interface StartCounterOptions extends Omit<
  PluginClientOptions,
  'spec' | 'handshake' | 'hostServices'
> {
  /** The host's storage, exposed to the plugin as the `counter.storage` service. */
  readonly storage: CounterStorage;
}

/** Launches the plugin with the host's storage service; the plugin gets only the host APIs it declares. */
export async function startCounter({ storage, ...options }: StartCounterOptions): Promise<PluginClient> {
  // startExtension exposes only the host services the manifest's hostApis list.
  const { client } = await startExtension(extensionDir, {
    ...options,
    handshake,
    hostServices: [implement(counterStorage, storage)],
  });
  return client;
}
