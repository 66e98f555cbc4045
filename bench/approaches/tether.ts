// Tether: `connectRpc` over a Unix socket StreamTransport (sdk listenUnixSocket / connectUnixSocket, as the
// plugin layer uses them), against the bench service (tether-service.ts) in a child process. Call
// acknowledgements are on, as between a PluginClient and a plugin served by serve() (protocol.md 4.8).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRpc, connectUnixSocket, listenUnixSocket } from '../../sdk/src/wire.js';
import { isChildOf, spawnChild, stopChild, type Approach } from '../harness.js';
import { tetherClient } from './tether-client.js';
import { serveBenchService } from './tether-service.js';

export const tether: Approach = {
  id: 'tether',
  label: 'Tether (connectRpc, Unix socket)',
  kind: 'tether',
  async start() {
    const dir = await mkdtemp(join(tmpdir(), 'tether-bench-'));
    const listener = await listenUnixSocket(join(dir, 'tether.sock'));
    const child = spawnChild(fileURLToPath(import.meta.url), { TETHER_BENCH_SOCKET: listener.path });
    const transport = await listener.accept();
    await listener.close();
    const peer = connectRpc(transport, { role: 'initiator', expectAcks: true });
    return {
      client: tetherClient(peer),
      pin: { id: child.pid!, thread: false },
      async dispose() {
        peer.dispose();
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

if (isChildOf(import.meta.url)) {
  const transport = await connectUnixSocket(process.env.TETHER_BENCH_SOCKET!);
  transport.onDidClose(() => process.exit(0));
  serveBenchService(connectRpc(transport, { role: 'acceptor', sendAcks: true }));
}
