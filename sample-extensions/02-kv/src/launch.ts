// Starts the kv plugin the way an app does: read the manifest, launch its entry with the data file's path
// in its environment, and negotiate the app protocol version.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Remote } from '@tether/sdk';
import {
  startExtension,
  typeScriptNodeArgs,
  type PluginClient,
  type PluginClientOptions,
} from '@tether/extension-host';
import { KV_FILE_ENV, handshake, kv, kvV2, type KvV1, type KvV2 } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest). */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/** Node flags that run this sample's TypeScript (its host, in tests) from source. */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = typeScriptNodeArgs();

export interface StartKvOptions extends Omit<PluginClientOptions, 'spec' | 'handshake'> {
  /** The JSON file the plugin keeps its data in. */
  readonly file: string;
}

/** Launches the plugin; `versions` are the app protocol versions this host speaks (default [1, 2]). */
export async function startKv({
  file,
  versions = [1, 2],
  ...options
}: StartKvOptions): Promise<PluginClient> {
  const { client } = await startExtension(extensionDir, {
    ...options,
    versions,
    handshake,
    env: { [KV_FILE_ENV]: path.resolve(file) },
  });
  return client;
}

/** The store as the negotiated version offers it: `v2` is set only when both sides speak version 2. */
export type NegotiatedKv =
  | { readonly version: 1; readonly v1: Remote<KvV1>; readonly v2?: undefined }
  | { readonly version: 2; readonly v1: Remote<KvV1>; readonly v2: Remote<KvV2> };

/** Dispenses the definition that matches the version the handshake settled on. */
export function dispenseKv(client: PluginClient): NegotiatedKv {
  if (client.version >= 2) {
    const v2 = client.dispense(kvV2);
    return { version: 2, v1: v2, v2 };
  }
  return { version: 1, v1: client.dispense(kv) };
}
