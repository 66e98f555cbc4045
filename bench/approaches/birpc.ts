// birpc 4.2 over fork IPC with `serialization: 'advanced'` (v8 serializer: bytes stay bytes, no codec
// needed). The callback is a call of a host function from the child. Streams are pull loops (pull-stream.ts):
// the receiver calls the sender's `next()`, so for host → child the child calls the host.
import { fileURLToPath } from 'node:url';
import { createBirpc, type BirpcReturn } from 'birpc';
import { forkChild, isChildOf, stopChild, streamPattern, type Approach } from '../harness.js';
import { ChunkSource, pullAll } from './pull-stream.js';

interface ChildFunctions {
  add(a: number, b: number): number;
  echo(data: Uint8Array): Uint8Array;
  callBack(n: number): Promise<number>;
  /** Starts a stream to the host: `next()` then hands out its chunks. */
  openSource(total: number, chunkSize: number): void;
  next(): Uint8Array | null;
  /** Pulls the host's current stream to its end; returns the bytes counted. */
  pullFromHost(): Promise<number>;
}
interface HostFunctions {
  identity(n: number): number;
  next(): Uint8Array | null;
}

export const birpc: Approach = {
  id: 'birpc',
  label: "birpc 4.2, fork IPC 'advanced'",
  kind: 'peer',
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'advanced');
    let source = new ChunkSource(new Uint8Array(0), 0);
    const rpc = createBirpc<ChildFunctions, HostFunctions>(
      { identity: (n) => n, next: () => source.next() },
      {
        post: (data) => child.send(data as never),
        on: (handler) => child.on('message', handler),
        timeout: 60_000,
      },
    );
    return {
      client: {
        call: () => rpc.add(1, 2),
        echo: (data) => rpc.echo(data),
        callback: () => rpc.callBack(1),
        async streamToHost(total, chunkSize) {
          await rpc.openSource(total, chunkSize);
          return pullAll(() => rpc.next());
        },
        streamToChild(chunk, total) {
          source = new ChunkSource(chunk, total);
          return rpc.pullFromHost();
        },
      },
      pin: { id: child.pid!, thread: false },
      async dispose() {
        rpc.$close();
        await stopChild(child);
      },
    };
  },
};

if (isChildOf(import.meta.url)) {
  let source = new ChunkSource(new Uint8Array(0), 0);
  const rpc: BirpcReturn<HostFunctions, ChildFunctions> = createBirpc<HostFunctions, ChildFunctions>(
    {
      add: (a, b) => a + b,
      echo: (data) => data,
      callBack: (n) => rpc.identity(n),
      openSource(total, chunkSize) {
        source = new ChunkSource(streamPattern(chunkSize), total);
      },
      next: () => source.next(),
      pullFromHost: () => pullAll(() => rpc.next()),
    },
    {
      post: (data) => process.send!(data),
      on: (handler) => process.on('message', handler),
      timeout: 60_000,
    },
  );
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
