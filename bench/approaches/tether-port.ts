// Tether over a worker_threads MessagePort (MessagePortTransport): the transport an Electron utility
// process uses (MessagePortMain), here between two threads of one process, so a reference beside
// comlink-worker and in no ratio. Electron's own utility process cannot run here (no Electron binary). Call
// acknowledgements are on, as for a plugin (protocol.md 4.8).
import { MessageChannel, workerData, type MessagePort } from 'node:worker_threads';
import { MessagePortTransport } from '../../sdk/src/transport/message-port-transport.js';
import { connectRpc } from '../../sdk/src/wire.js';
import type { Approach } from '../harness.js';
import { isWorkerOf, startWorker, workerReady } from './worker-child.js';
import { tetherClient } from './tether-client.js';
import { serveBenchService } from './tether-service.js';

export const tetherPort: Approach = {
  id: 'tether-port',
  label: 'Tether (MessagePortTransport, worker; one process, reference)',
  kind: 'reference',
  async start() {
    const { port1, port2 } = new MessageChannel();
    const { worker, tid } = await startWorker(import.meta.url, { port: port2 }, [port2]);
    const peer = connectRpc(new MessagePortTransport(port1), { role: 'initiator', expectAcks: true });
    return {
      client: tetherClient(peer),
      pin: tid === undefined ? undefined : { id: tid, thread: true },
      async dispose() {
        peer.dispose();
        await worker.terminate();
      },
    };
  },
};

if (isWorkerOf(import.meta.url)) {
  const { port } = workerData as { port: MessagePort };
  serveBenchService(connectRpc(new MessagePortTransport(port), { role: 'acceptor', sendAcks: true }));
  await workerReady();
}
