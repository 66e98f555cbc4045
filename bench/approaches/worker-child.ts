// Approaches whose other side is a worker thread in the bench's own process (references, not peers): how the
// worker is started with the TypeScript loader, and how it reports ready with its thread id (for pinning).
import { readlink } from 'node:fs/promises';
import { Worker, isMainThread, parentPort, workerData, type TransferListItem } from 'node:worker_threads';

/** tsx's ESM API, which a worker uses to register the loader for itself. */
const TSX_ESM_API = import.meta.resolve('tsx/esm/api');

/** True in a worker started by {@link startWorker} for `moduleUrl`. */
export function isWorkerOf(moduleUrl: string): boolean {
  return !isMainThread && (workerData as { benchModule?: unknown } | null)?.benchModule === moduleUrl;
}

export interface StartedWorker {
  readonly worker: Worker;
  /** The worker's Linux thread id (to pin it alone), or undefined where /proc/thread-self is missing. */
  readonly tid: number | undefined;
}

/**
 * Starts `moduleUrl` in a worker thread (it calls {@link workerReady} once set up) and waits for it.
 * `data` and `transferList` go to the worker as `workerData` (next to `benchModule`).
 */
export async function startWorker(
  moduleUrl: string,
  data: Record<string, unknown> = {},
  transferList: TransferListItem[] = [],
): Promise<StartedWorker> {
  // Node 20 does not carry `--import tsx` hooks into workers: the worker registers them before the import.
  const bootstrap = `import { register } from ${JSON.stringify(TSX_ESM_API)}; register(); await import(${JSON.stringify(moduleUrl)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    workerData: { ...data, benchModule: moduleUrl },
    transferList,
  });
  const tid = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: { tid: number }) => resolve(message.tid));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${moduleUrl} exited with ${code} before it was ready`)));
  });
  worker.removeAllListeners('error').removeAllListeners('exit');
  return { worker, tid: tid === 0 ? undefined : tid };
}

/** In a worker: tells {@link startWorker} it is ready, with its thread id; the first message on parentPort. */
export async function workerReady(): Promise<void> {
  const tid = await readlink('/proc/thread-self').then(
    (link) => Number(link.split('/').pop()),
    () => 0,
  );
  parentPort!.postMessage({ tid });
}
