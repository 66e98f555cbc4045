// What both comlink approaches (worker, fork IPC) serve and call, written as a comlink user would: the
// child exposes an object; the host exposes one too on the same endpoint (for the child's pull loop of a
// host → child stream), since comlink requests and replies on one endpoint do not mix up (ids, types).
import * as Comlink from 'comlink';
import type { BenchClient } from '../harness.js';
import { streamPattern } from '../harness.js';
import { ChunkSource, pullAll } from './pull-stream.js';

export interface ChildApi {
  add(a: number, b: number): number;
  echo(data: Uint8Array): Uint8Array;
  callBack(callback: (n: number) => number, n: number): Promise<number>;
  /** Starts a stream to the host: `next()` then hands out its chunks. */
  openSource(total: number, chunkSize: number): void;
  next(): Uint8Array | null;
  /** Pulls the host's current stream to its end; returns the bytes counted. */
  pullFromHost(): Promise<number>;
}

export interface HostApi {
  next(): Uint8Array | null;
}

/** The child's side: exposes the child API on `endpoint` and calls the host through it. */
export function serveChildApi(endpoint: Comlink.Endpoint): void {
  const host = Comlink.wrap<HostApi>(endpoint);
  let source = new ChunkSource(new Uint8Array(0), 0);
  const api: ChildApi = {
    add: (a, b) => a + b,
    echo: (data) => data,
    callBack: (callback, n) => Promise.resolve(callback(n)),
    openSource(total, chunkSize) {
      source = new ChunkSource(streamPattern(chunkSize), total);
    },
    next: () => source.next(),
    pullFromHost: () => pullAll(() => host.next()),
  };
  Comlink.expose(api, endpoint);
}

/** The host's side: a BenchClient over the child API, and the host API exposed for the child. */
export function comlinkClient(endpoint: Comlink.Endpoint): {
  client: BenchClient;
  release(): void;
} {
  const api = Comlink.wrap<ChildApi>(endpoint);
  let source = new ChunkSource(new Uint8Array(0), 0);
  Comlink.expose({ next: () => source.next() } satisfies HostApi, endpoint);
  const identity = Comlink.proxy((n: number) => n);
  return {
    client: {
      call: () => api.add(1, 2),
      echo: (data) => api.echo(data),
      callback: () => api.callBack(identity, 1),
      async streamToHost(total, chunkSize) {
        await api.openSource(total, chunkSize);
        return pullAll(() => api.next());
      },
      streamToChild(chunk, total) {
        source = new ChunkSource(chunk, total);
        return api.pullFromHost();
      },
    },
    release: () => api[Comlink.releaseProxy](),
  };
}
