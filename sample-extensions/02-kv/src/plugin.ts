// The plugin: one store, served as "kv" version 1 (put, get) and version 2 (adds list, delete).
import { implement, serve } from '@tether/sdk';
import { KV_FILE_ENV, handshake, kv, kvV2, type KvV2 } from './contract.js';
import { JsonFileStore } from './json-file-store.js';

const file = process.env[KV_FILE_ENV];
if (file === undefined || file === '') {
  throw new Error(`${KV_FILE_ENV} is not set: the host passes the data file's path in spec.env.`);
}
const store = await JsonFileStore.open(file);

const implementation: KvV2 = {
  put: (key, value) => store.put(key, value),
  get: (key) => Promise.resolve(store.get(key)),
  list: (prefix) => Promise.resolve(store.list(prefix)),
  delete: (key) => store.delete(key),
};

await serve({
  handshake,
  versionedServices: {
    1: [implement(kv, implementation)],
    2: [implement(kvV2, implementation)],
  },
});
