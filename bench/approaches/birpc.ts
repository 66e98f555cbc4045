// birpc 4.2 over fork IPC with `serialization: 'advanced'` (v8 serializer: bytes stay bytes, no codec
// needed). The callback is a call of a host function from the child.
import { fileURLToPath } from 'node:url';
import { createBirpc, type BirpcReturn } from 'birpc';
import { forkChild, isChildOf, stopChild, type Approach } from '../harness.js';

interface ChildFunctions {
  add(a: number, b: number): number;
  echo(data: Uint8Array): Uint8Array;
  callBack(n: number): Promise<number>;
}
interface HostFunctions {
  identity(n: number): number;
}

export const birpc: Approach = {
  id: 'birpc',
  label: "birpc 4.2, fork IPC 'advanced'",
  kind: 'peer',
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'advanced');
    const rpc = createBirpc<ChildFunctions, HostFunctions>(
      { identity: (n) => n },
      {
        post: (data) => child.send(data as never),
        on: (handler) => child.on('message', handler),
        timeout: 60_000,
      },
    );
    return {
      client: { call: () => rpc.add(1, 2), echo: (data) => rpc.echo(data), callback: () => rpc.callBack(1) },
      pin: { id: child.pid!, thread: false },
      async dispose() {
        rpc.$close();
        await stopChild(child);
      },
    };
  },
};

if (isChildOf(import.meta.url)) {
  const rpc: BirpcReturn<HostFunctions, ChildFunctions> = createBirpc<HostFunctions, ChildFunctions>(
    { add: (a, b) => a + b, echo: (data) => data, callBack: (n) => rpc.identity(n) },
    {
      post: (data) => process.send!(data),
      on: (handler) => process.on('message', handler),
      timeout: 60_000,
    },
  );
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
