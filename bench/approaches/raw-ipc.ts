// Raw fork IPC (a second floor): `process.send` with `serialization: 'advanced'` (so bytes stay bytes),
// the child echoes every message. No RPC layer, so no callback.
import { fileURLToPath } from 'node:url';
import { forkChild, isChildOf, stopChild, type Approach } from '../harness.js';

export const rawIpc: Approach = {
  id: 'raw-ipc',
  label: "raw fork IPC, 'advanced' (floor)",
  kind: 'floor',
  callbackUnsupported: 'no RPC layer: a message ping-pong has no callbacks',
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'advanced');
    const waiting: ((message: unknown) => void)[] = [];
    child.on('message', (message) => waiting.shift()!(message));
    const roundTrip = (message: unknown): Promise<unknown> =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.send(message as never);
      });
    return {
      client: { call: () => roundTrip([1, 2]), echo: roundTrip },
      pin: { id: child.pid!, thread: false },
      dispose: () => stopChild(child),
    };
  },
};

if (isChildOf(import.meta.url)) {
  process.on('message', (message) => process.send!(message));
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
