// Small-call tail latency of Tether and the raw Unix floor, interleaved, same pinning (split by default).
//   node --conditions=tether-source --import tsx bench/dev/tail-compare.ts [split|same] [calls] [rounds]
//   ONLY=tether or ONLY=raw-unix measures one side (e.g. under `strace -f -c` to compare syscalls per call).
import { rawUnix } from '../approaches/raw-unix.js';
import { tether } from '../approaches/tether.js';
import { pin, unpinSelf, type Approach } from '../harness.js';

const placement = process.argv[2] ?? 'split';
const calls = Number(process.argv[3] ?? 5000);
const rounds = Number(process.argv[4] ?? 3);
async function tail(approach: Approach): Promise<string> {
  const started = await approach.start();
  pin({ id: process.pid, thread: false }, 0);
  if (started.pin !== undefined) pin(started.pin, placement === 'same' ? 0 : 1);
  const end = performance.now() + 300;
  while (performance.now() < end) await started.client.call();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await started.client.call();
    times.push((performance.now() - t) * 1000);
  }
  unpinSelf();
  await started.dispose();
  times.sort((a, b) => a - b);
  const q = (p: number): string => times[Math.floor((times.length - 1) * p)]!.toFixed(0).padStart(5);
  return `${approach.id.padEnd(9)} p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} p99.9 ${q(0.999)} >500µs ${times.filter((t) => t > 500).length}`;
}
const only = process.env.ONLY;
for (let r = 0; r < rounds; r++) {
  if (only !== 'raw-unix') console.log(await tail(tether));
  if (only !== 'tether') console.log(await tail(rawUnix));
}
