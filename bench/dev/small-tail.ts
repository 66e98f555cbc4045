// Tail latency of small calls across two processes, pinned split (host CPU 0, plugin CPU 1) or same.
//   node --conditions=tether-source --import tsx bench/dev/small-tail.ts [split|same] [calls]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectRpc } from '../../sdk/src/wire.js';
import { startPeerProcess } from '../../sdk/src/test-support/peer-process.js';
import { calculator } from '../../sdk/src/rpc/test-fixtures/contract.js';

const placement = process.argv[2] ?? 'split';
const calls = Number(process.argv[3] ?? 5000);
const fixture = fileURLToPath(new URL('../../sdk/src/rpc/test-fixtures/rpc-plugin.ts', import.meta.url));
const child = await startPeerProcess(fixture);
execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
execFileSync('taskset', ['-a', '-p', '-c', placement === 'same' ? '0' : '1', String(child.pid)], {
  stdio: 'ignore',
});
const peer = connectRpc(child.transport, { role: 'initiator' });
const calc = peer.remote(calculator);
const warmEnd = performance.now() + 300;
while (performance.now() < warmEnd) await calc.add(1, 2);
const times: number[] = [];
for (let i = 0; i < calls; i++) {
  const t = performance.now();
  await calc.add(1, 2);
  times.push((performance.now() - t) * 1000);
}
const sorted = [...times].sort((a, b) => a - b);
const q = (p: number): string => sorted[Math.floor((sorted.length - 1) * p)]!.toFixed(0);
const slow = times.map((t, i) => [i, t] as const).filter(([, t]) => t > 500);
console.log(
  `${placement}: p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${q(1)} µs; >500 µs: ${slow.length} at ${slow
    .slice(0, 12)
    .map(([i, t]) => `${i}:${t.toFixed(0)}`)
    .join(' ')}`,
);
peer.dispose();
await child.dispose();
