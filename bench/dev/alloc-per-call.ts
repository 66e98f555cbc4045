// GC pauses during small calls, both peers in one process over a Unix socket (host + plugin side together):
// how many calls between collections and how long each takes. Each pause delays the calls in flight.
//   node --conditions=tether-source --import tsx bench/dev/alloc-per-call.ts
import { PerformanceObserver } from 'node:perf_hooks';
import { inProcessCalculator } from './fixture-peers.js';

const { calc, dispose } = await inProcessCalculator();
for (let i = 0; i < 20000; i++) await calc.add(i, 1);

let gcs = 0;
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcs++;
    gcMs += entry.duration;
  }
});
observer.observe({ entryTypes: ['gc'] });
const calls = 100_000;
const t0 = performance.now();
for (let i = 0; i < calls; i++) await calc.add(i, 1);
const ms = performance.now() - t0;
await new Promise((r) => setTimeout(r, 50));
observer.disconnect();
console.log(
  `${calls} sequential calls in ${ms.toFixed(0)} ms: ${gcs} GCs, ${gcMs.toFixed(1)} ms in GC (${((gcMs / ms) * 100).toFixed(1)}%), one GC per ${(calls / Math.max(gcs, 1)).toFixed(0)} calls, mean GC ${(gcMs / Math.max(gcs, 1)).toFixed(2)} ms`,
);
await dispose();
