// CPU cost of a 1 MiB echo through the whole stack (codec, mux, Unix socket, both peers in ONE process, so
// process CPU time covers both sides). Used to measure hot-path changes under a noisy machine: CPU time per
// echo moves much less with other load than wall time does.
//   node --conditions=tether-source --import tsx bench/dev/echo-cost.ts [rounds] [sizeKiB]
import { inProcessCalculator } from './fixture-peers.js';

const rounds = Number(process.argv[2] ?? 7);
const size = Number(process.argv[3] ?? 1024) * 1024;
const { calc, dispose } = await inProcessCalculator();

const data = new Uint8Array(size).map((_, i) => i & 0xff);
for (let i = 0; i < 50; i++) await calc.echo(data);
const perRound = 200;
const cpu: number[] = [];
const wall: number[] = [];
for (let r = 0; r < rounds; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < perRound; i++) await calc.echo(data);
  const c = process.cpuUsage(c0);
  wall.push(((performance.now() - t0) * 1000) / perRound);
  cpu.push((c.user + c.system) / perRound);
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(
  `${size / 1024} KiB echo, both sides in one process: CPU ${median(cpu).toFixed(0)} µs/echo (min ${Math.min(...cpu).toFixed(0)}), wall ${median(wall).toFixed(0)} µs/echo`,
);
await dispose();
