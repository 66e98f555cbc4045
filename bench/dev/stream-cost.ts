// CPU and wall time of byte streams through the whole stack (both peers in one process over a Unix
// socket): host → plugin (`sum` consumes an async iterable) and plugin → host (`produce` returns one).
//   node --conditions=tether-source --import tsx bench/dev/stream-cost.ts [MiB] [chunkKiB]
import { inProcessCalculator } from './fixture-peers.js';

const mib = Number(process.argv[2] ?? 64);
const chunk = Number(process.argv[3] ?? 64) * 1024;
const count = (mib * 1024 * 1024) / chunk;
const { calc, dispose } = await inProcessCalculator();
const data = new Uint8Array(chunk).map((_, i) => i & 0xff);

async function* items(n: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < n; i++) yield await Promise.resolve(data);
}
async function measure(label: string, run: () => Promise<number>): Promise<void> {
  await run();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await run();
  const c = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  if (bytes !== count * chunk) throw new Error(`${label}: got ${bytes} bytes`);
  console.log(
    `${label}: ${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s wall, ${((c.user + c.system) / mib).toFixed(0)} µs CPU per MiB`,
  );
}
await measure('host → plugin', async () => (await calc.sum(items(count))).bytes);
await measure('plugin → host', async () => {
  let bytes = 0;
  for await (const item of await calc.produce(count, chunk)) bytes += item.byteLength;
  return bytes;
});
await dispose();
