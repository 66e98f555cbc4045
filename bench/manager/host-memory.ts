// The host's own memory, read after a full garbage collection so that what is counted is what stays
// reachable. `npm run bench` runs without `--expose-gc`: the flag is set at run time and `gc` taken from a
// fresh context (V8 installs it in contexts created after the flag is set). Bytecode flushing is turned off
// at the same time: otherwise every collection drops the bytecode of functions not run lately (the rest of
// the bench's), and the host's heap shrinks between two readings by more than an extension costs.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HostMemory {
  /** V8 heap in use plus memory held outside it (Buffers, ArrayBuffers), bytes. */
  readonly heapAndExternalBytes: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
}

let collect: (() => void) | undefined;

function gc(): () => void {
  if (collect === undefined) {
    setFlagsFromString('--no-flush-bytecode');
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  return collect;
}

/** Memory after collecting twice, with a turn of the event loop between (finalizers, weak callbacks). */
export async function readHostMemory(): Promise<HostMemory> {
  const collectNow = gc();
  collectNow();
  await sleep(10);
  collectNow();
  const usage = process.memoryUsage();
  return {
    heapAndExternalBytes: usage.heapUsed + usage.external,
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
  };
}
