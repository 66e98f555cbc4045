// The contract, declared once and imported by both sides. Two versions of the same service "kv": the host
// and the plugin negotiate the newest version both support, and the host dispenses the matching definition.
import { defineService } from '@tether/sdk';

/** App protocol version 1: put and get. */
export interface KvV1 {
  put(key: string, value: string): Promise<void>;
  /** The value, or `undefined` when the key is not set. */
  get(key: string): Promise<string | undefined>;
}

/** App protocol version 2: version 1 plus list and delete. */
export interface KvV2 extends KvV1 {
  /** The keys that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** True when the key was there. */
  delete(key: string): Promise<boolean>;
}

export const kv = defineService<KvV1>()('kv', { methods: { put: {}, get: {} } });
export const kvV2 = defineService<KvV2>()('kv', { methods: { put: {}, get: {}, list: {}, delete: {} } });

/** The environment variable holding the path of the JSON file the plugin keeps its data in. */
export const KV_FILE_ENV = 'KV_FILE';

/** The app's magic cookie: not a secret, just "an app that uses Tether started you". */
export const handshake = { cookieKey: 'TETHER_SAMPLES', cookieValue: 'hello-from-the-samples' };
