// comlink 4.4.2 over a worker_threads Worker (one process: a reference, not a two-process peer). The worker
// is plain JavaScript so it needs no loader; the callback is a `Comlink.proxy()` function.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import type { Approach } from '../harness.js';

interface Api {
  add(a: number, b: number): number;
  echo(data: Uint8Array): Uint8Array;
  callBack(callback: (n: number) => number, n: number): Promise<number>;
  tid(): Promise<number>;
}

const require = createRequire(import.meta.url);
const comlinkUrl = pathToFileURL(require.resolve('comlink/dist/esm/comlink.mjs')).href;
const adapterUrl = pathToFileURL(require.resolve('comlink/dist/esm/node-adapter.mjs')).href;
// The adapter ships without types for its ESM file: load it by URL with the one signature used here.
const { default: nodeEndpoint } = (await import(adapterUrl)) as {
  default: (port: Worker) => Comlink.Endpoint;
};
const workerSource = `
import { parentPort } from 'node:worker_threads';
import { readlink } from 'node:fs/promises';
import * as Comlink from ${JSON.stringify(comlinkUrl)};
import nodeEndpoint from ${JSON.stringify(adapterUrl)};
Comlink.expose({
  add: (a, b) => a + b,
  echo: (data) => data,
  callBack: (callback, n) => callback(n),
  tid: () => readlink('/proc/thread-self').then((l) => Number(l.split('/').pop()), () => 0),
}, nodeEndpoint(parentPort));
`;

export const comlinkWorker: Approach = {
  id: 'comlink-worker',
  label: 'comlink 4.4.2, worker (one process, reference)',
  kind: 'reference',
  async start() {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerSource)}`));
    const api = Comlink.wrap<Api>(nodeEndpoint(worker));
    const tid = await api.tid();
    const identity = Comlink.proxy((n: number) => n);
    return {
      client: {
        call: () => api.add(1, 2),
        echo: (data) => api.echo(data),
        callback: () => api.callBack(identity, 1),
      },
      pin: tid === 0 ? undefined : { id: tid, thread: true },
      async dispose() {
        api[Comlink.releaseProxy]();
        await worker.terminate();
      },
    };
  },
};
