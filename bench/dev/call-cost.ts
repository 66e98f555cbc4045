// CPU cost of small calls through the whole stack, both peers in ONE process over a Unix socket (process CPU
// time covers both sides): one at a time, and 64 in flight. For hot-path changes on a noisy machine, where
// CPU time per call moves much less with other load than wall time does. `acks`: with call acknowledgements
// negotiated (protocol.md section 4.8), as between a PluginClient and a serve() plugin.
//   node --conditions=tether-source --import tsx bench/dev/call-cost.ts [acks|no-acks] [rounds]
import { inProcessCalculator } from './fixture-peers.js';

const acks = process.argv[2] !== 'no-acks';
const rounds = Number(process.argv[3] ?? 7);
const { calc, dispose } = await inProcessCalculator({ acks });

/** CPU µs per call of `run(calls)`, median over the rounds. */
async function cpuPerCall(calls: number, run: (calls: number) => Promise<void>): Promise<number> {
  await run(calls); // warm-up
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    await run(calls);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / calls);
  }
  return cpu.sort((a, b) => a - b)[Math.floor(cpu.length / 2)]!;
}

const sequential = await cpuPerCall(5000, async (calls) => {
  for (let i = 0; i < calls; i++) await calc.add(i, 1);
});
const inFlight = await cpuPerCall(20_000, async (calls) => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < calls) await calc.add(next, 1);
  };
  await Promise.all(Array.from({ length: 64 }, worker));
});
console.log(
  `${acks ? 'acks' : 'no-acks'}: CPU ${sequential.toFixed(1)} µs/call one at a time, ${inFlight.toFixed(1)} µs/call 64 in flight`,
);
await dispose();
