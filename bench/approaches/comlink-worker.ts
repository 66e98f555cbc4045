// comlink 4.4.2 over a worker_threads Worker (one process: a reference, not a two-process peer), with
// comlink's own node-adapter. The callback is a `Comlink.proxy()` function.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, type Worker } from 'node:worker_threads';
import type * as Comlink from 'comlink';
import type { Approach } from '../harness.js';
import { isWorkerOf, startWorker, workerReady } from './worker-child.js';
import { comlinkClient, serveChildApi } from './comlink-api.js';

// The adapter ships without types for its ESM file: load it by URL with the one signature used here.
const adapterUrl = pathToFileURL(createRequire(import.meta.url).resolve('comlink/dist/esm/node-adapter.mjs'));
const { default: nodeEndpoint } = (await import(adapterUrl.href)) as {
  default: (port: Worker | NonNullable<typeof parentPort>) => Comlink.Endpoint;
};

export const comlinkWorker: Approach = {
  id: 'comlink-worker',
  label: 'comlink 4.4.2, worker (one process, reference)',
  kind: 'reference',
  async start() {
    const { worker, tid } = await startWorker(import.meta.url);
    const { client, release } = comlinkClient(nodeEndpoint(worker));
    return {
      client,
      pin: tid === undefined ? undefined : { id: tid, thread: true },
      async dispose() {
        release();
        await worker.terminate();
      },
    };
  },
};

if (isWorkerOf(import.meta.url)) {
  serveChildApi(nodeEndpoint(parentPort!));
  await workerReady();
}
