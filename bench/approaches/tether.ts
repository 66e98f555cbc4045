// Tether: `connectRpc` over a Unix socket StreamTransport, against the RPC test fixture plugin process.
import { fileURLToPath } from 'node:url';
import { proxy } from '../../sdk/src/index.js';
import { calculator } from '../../sdk/src/rpc/test-fixtures/contract.js';
import { startPeerProcess } from '../../sdk/src/test-support/peer-process.js';
import { connectRpc } from '../../sdk/src/wire.js';
import type { Approach } from '../harness.js';

const fixture = fileURLToPath(new URL('../../sdk/src/rpc/test-fixtures/rpc-plugin.ts', import.meta.url));

export const tether: Approach = {
  id: 'tether',
  label: 'Tether (connectRpc, Unix socket)',
  kind: 'tether',
  async start() {
    const child = await startPeerProcess(fixture);
    const peer = connectRpc(child.transport, { role: 'initiator' });
    const calc = peer.remote(calculator);
    const identity = proxy((n: number) => Promise.resolve(n));
    return {
      client: {
        call: () => calc.add(1, 2),
        echo: (data) => calc.echo(data),
        callback: () => calc.callBack(identity, 1),
      },
      pin: { id: child.pid, thread: false },
      async dispose() {
        peer.dispose();
        await child.dispose();
      },
    };
  },
};
