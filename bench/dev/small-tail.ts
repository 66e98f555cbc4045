// Tail latency of small calls across two processes, pinned split (host CPU 0, plugin CPU 1) or same.
//   node --conditions=tether-source --import tsx bench/dev/small-tail.ts [split|same] [calls]
import { pinnedCalculator } from './fixture-peers.js';

const placement = process.argv[2] === 'same' ? 'same' : 'split';
const calls = Number(process.argv[3] ?? 5000);
const { calc, dispose } = await pinnedCalculator(placement);
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
await dispose();
