// Wall-clock 1 MiB echo across two processes (host here, the RPC fixture plugin in a child), optionally
// pinned: `same` puts both on CPU 0, `split` the child on CPU 1.
//   node --conditions=tether-source --import tsx bench/dev/echo-wall.ts [same|split] [echoes]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectRpc } from '../../sdk/src/wire.js';
import { startPeerProcess } from '../../sdk/src/test-support/peer-process.js';
import { calculator } from '../../sdk/src/rpc/test-fixtures/contract.js';

const placement = process.argv[2] ?? 'same';
const echoes = Number(process.argv[3] ?? 200);
const fixture = fileURLToPath(new URL('../../sdk/src/rpc/test-fixtures/rpc-plugin.ts', import.meta.url));
const child = await startPeerProcess(fixture);
execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
execFileSync('taskset', ['-a', '-p', '-c', placement === 'same' ? '0' : '1', String(child.pid)], {
  stdio: 'ignore',
});
const peer = connectRpc(child.transport, { role: 'initiator' });
const calc = peer.remote(calculator);
const mib = new Uint8Array(1024 * 1024).map((_, i) => i & 0xff);
for (let i = 0; i < 30; i++) await calc.echo(mib);
const times: number[] = [];
for (let i = 0; i < echoes; i++) {
  const t = performance.now();
  await calc.echo(mib);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(`${placement}: 1 MiB echo p50 ${(1.048576 / (times[echoes >> 1]! / 1000)).toFixed(0)} MB/s`);
peer.dispose();
await child.dispose();
