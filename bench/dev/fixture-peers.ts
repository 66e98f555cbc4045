// The two ways the bench/dev scripts reach the RPC test fixture's calculator: both peers in this process
// over a real Unix socket (process CPU time then covers both sides), or the fixture plugin in a child
// process pinned next to (same) or away from (split) this one.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Remote } from '../../sdk/src/index.js';
import { createCalculator } from '../../sdk/src/rpc/test-fixtures/calculator-impl.js';
import { calculator, type Calculator } from '../../sdk/src/rpc/test-fixtures/contract.js';
import { startPeerProcess } from '../../sdk/src/test-support/peer-process.js';
import { connectRpc, connectUnixSocket, listenUnixSocket } from '../../sdk/src/wire.js';

export interface FixturePeers {
  readonly calc: Remote<Calculator>;
  dispose(): Promise<void>;
}

/**
 * Host and plugin peers in this process, over a Unix socket in a temporary directory. `acks`: the plugin
 * acknowledges the host's calls and the host tracks its responsiveness, as after a handshake that
 * negotiated them (protocol.md section 4.8).
 */
export async function inProcessCalculator(options: { acks?: boolean } = {}): Promise<FixturePeers> {
  const acks = options.acks === true;
  const dir = await mkdtemp(join(tmpdir(), 'tether-dev-'));
  const listener = await listenUnixSocket(join(dir, 's'));
  const accepted = listener.accept();
  const client = await connectUnixSocket(listener.path);
  const server = connectRpc(await accepted, { role: 'acceptor', sendAcks: acks });
  server.expose(calculator, createCalculator(server));
  const peer = connectRpc(client, { role: 'initiator', expectAcks: acks });
  return {
    calc: peer.remote(calculator),
    async dispose() {
      peer.dispose();
      server.dispose();
      listener.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The fixture plugin in a child process; this process on CPU 0, the child on CPU 0 (same) or 1 (split). */
export async function pinnedCalculator(placement: 'same' | 'split'): Promise<FixturePeers> {
  const fixture = fileURLToPath(new URL('../../sdk/src/rpc/test-fixtures/rpc-plugin.ts', import.meta.url));
  const child = await startPeerProcess(fixture);
  const pin = (pid: number, cpu: number): void => {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  };
  pin(process.pid, 0);
  pin(child.pid, placement === 'same' ? 0 : 1);
  const peer = connectRpc(child.transport, { role: 'initiator' });
  return {
    calc: peer.remote(calculator),
    async dispose() {
      peer.dispose();
      await child.dispose();
    },
  };
}
