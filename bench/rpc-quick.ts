// Quick look at the RPC hot path across two processes (not the benchmark suite: see issue 5).
// node --conditions=tether-source --import tsx bench/rpc-quick.ts
import { fileURLToPath } from 'node:url';
import { connectRpc } from '../sdk/src/wire.js';
import { startPeerProcess } from '../sdk/src/test-support/peer-process.js';
import { calculator } from '../sdk/src/rpc/test-fixtures/contract.js';
import { proxy } from '../sdk/src/index.js';

const fixture = fileURLToPath(new URL('../sdk/src/rpc/test-fixtures/rpc-plugin.ts', import.meta.url));
const child = await startPeerProcess(fixture);
const peer = connectRpc(child.transport, { role: 'initiator' });
const calc = peer.remote(calculator);

for (let i = 0; i < 5000; i++) await calc.add(i, 1);
const samples: number[] = [];
for (let i = 0; i < 5000; i++) {
  const t = process.hrtime.bigint();
  await calc.add(i, 1);
  samples.push(Number(process.hrtime.bigint() - t) / 1000);
}
samples.sort((a, b) => a - b);
console.log(`small call p50 ${samples[2500]!.toFixed(1)} µs, p99 ${samples[4950]!.toFixed(1)} µs`);

let done = 0;
const until = performance.now() + 2000;
async function worker(): Promise<void> {
  while (performance.now() < until) {
    await calc.add(1, 2);
    done += 1;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: 64 }, worker));
console.log(`64 in flight: ${Math.round(done / ((performance.now() - started) / 1000))} calls/s`);

const mib = new Uint8Array(1024 * 1024);
for (let i = 0; i < 20; i++) await calc.echo(mib);
const t0 = performance.now();
for (let i = 0; i < 100; i++) await calc.echo(mib);
console.log(
  `1 MiB echo: ${(100 / ((performance.now() - t0) / 1000)).toFixed(0)} MB/s (round trips of 1 MiB each way)`,
);

const cb = proxy((n: number) => n);
for (let i = 0; i < 2000; i++) await calc.callBack(cb, 1);
const cbs: number[] = [];
for (let i = 0; i < 3000; i++) {
  const t = process.hrtime.bigint();
  await calc.callBack(cb, 1);
  cbs.push(Number(process.hrtime.bigint() - t) / 1000);
}
cbs.sort((a, b) => a - b);
console.log(`call that calls back once p50 ${cbs[1500]!.toFixed(1)} µs`);
peer.dispose();
await child.dispose();
