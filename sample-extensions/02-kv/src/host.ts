// The host, a small CLI: each run starts the plugin, does one command and stops it; the data outlives it.
//   npm start -w @tether-samples/kv -- put a 1 | get a | list [prefix] | delete a   [--v1]
import os from 'node:os';
import path from 'node:path';
import { KV_FILE_ENV } from './contract.js';
import { dispenseKv, startKv } from './launch.js';

const usage = 'usage: host.ts put <key> <value> | get <key> | list [prefix] | delete <key>  [--v1]';
const argv = process.argv.slice(2);
const onlyV1 = argv.includes('--v1'); // pretend to be an older host that speaks only version 1
const [command, ...args] = argv.filter((arg) => arg !== '--v1');
const file = process.env[KV_FILE_ENV] ?? path.join(os.tmpdir(), 'tether-samples-kv.json');

const client = await startKv({ file, versions: onlyV1 ? [1] : [1, 2] });
try {
  const store = dispenseKv(client);
  console.error(`(kv v${store.version}, data in ${file})`);
  switch (command) {
    case 'put':
      if (args.length !== 2) throw new Error(usage);
      await store.v1.put(args[0]!, args[1]!);
      console.log('ok');
      break;
    case 'get': {
      if (args.length !== 1) throw new Error(usage);
      const value = await store.v1.get(args[0]!);
      console.log(value ?? '(not set)');
      if (value === undefined) process.exitCode = 1;
      break;
    }
    case 'list':
    case 'delete':
      if (store.v2 === undefined) {
        throw new Error(`"${command}" needs kv version 2; this run negotiated version ${store.version}.`);
      }
      if (command === 'list') {
        for (const key of await store.v2.list(args[0] ?? '')) console.log(key);
      } else {
        if (args.length !== 1) throw new Error(usage);
        console.log((await store.v2.delete(args[0]!)) ? 'deleted' : '(not set)');
      }
      break;
    default:
      throw new Error(usage);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
} finally {
  await client.stop();
}
