// Wall-clock 1 MiB echo across two processes (host here, the RPC fixture plugin in a child), optionally
// pinned: `same` puts both on CPU 0, `split` the child on CPU 1.
//   node --conditions=tether-source --import tsx bench/dev/echo-wall.ts [same|split] [echoes]
import { pinnedCalculator } from './fixture-peers.js';

const placement = process.argv[2] === 'split' ? 'split' : 'same';
const echoes = Number(process.argv[3] ?? 200);
const { calc, dispose } = await pinnedCalculator(placement);
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
await dispose();
