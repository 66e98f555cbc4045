// comlink 4.4.2 across processes: a fork IPC channel ('advanced' serialization) turned into a comlink
// Endpoint by a port adapter (comlink-ipc-endpoint.ts). The callback workload tries `Comlink.proxy()` like
// the worker variant; over IPC it fails (no MessagePort can cross), and the run records why.
import { fileURLToPath } from 'node:url';
import { forkChild, isChildOf, stopChild, type Approach } from '../harness.js';
import { comlinkClient, serveChildApi } from './comlink-api.js';
import { ipcEndpoint } from './comlink-ipc-endpoint.js';

export const comlinkFork: Approach = {
  id: 'comlink-fork',
  label: "comlink 4.4.2, fork IPC 'advanced' (port adapter)",
  kind: 'peer',
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'advanced');
    const { client, release } = comlinkClient(ipcEndpoint(child, (message) => child.send(message as never)));
    return {
      client,
      pin: { id: child.pid!, thread: false },
      async dispose() {
        release();
        await stopChild(child);
      },
    };
  },
};

if (isChildOf(import.meta.url)) {
  serveChildApi(ipcEndpoint(process, (message) => process.send!(message)));
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
