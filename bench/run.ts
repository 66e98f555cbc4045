// `npm run bench`: Tether against the raw floors and the peers, host and plugin in separate processes,
// the same workloads for all, both CPU placements. Writes bench/results/latest.{json,md}.
//   --quick   1 run, few iterations, Tether + raw floor + birpc, one placement (written to results/tmp/)
//   --runs N  runs per cell (default 3)      --out DIR  where to write the results
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { birpc } from './approaches/birpc.js';
import { comlinkWorker } from './approaches/comlink-worker.js';
import { rawIpc } from './approaches/raw-ipc.js';
import { rawUnix } from './approaches/raw-unix.js';
import { tether } from './approaches/tether.js';
import { vscodeJsonrpc } from './approaches/vscode-jsonrpc.js';
import {
  CPU_COUNT,
  FULL_SIZES,
  QUICK_SIZES,
  pin,
  pinningUnavailable,
  runWorkloads,
  unpinSelf,
  type Approach,
  type Placement,
  type RunResult,
} from './harness.js';
import { renderMarkdown, renderTable, summarise, type BenchReport } from './report.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string): string | undefined => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const runs = Number(option('--runs') ?? (quick ? 1 : 3));
const outDir =
  option('--out') ?? fileURLToPath(new URL(quick ? './results/tmp/' : './results/', import.meta.url));

const approaches: Approach[] = quick
  ? [tether, rawUnix, birpc]
  : [tether, rawUnix, rawIpc, vscodeJsonrpc, birpc, comlinkWorker];
const noPinning = pinningUnavailable();
const placements: Placement[] =
  noPinning !== undefined ? ['unpinned'] : quick ? ['split'] : ['split', 'same'];
const sizes = quick ? QUICK_SIZES : FULL_SIZES;

async function measure(approach: Approach, placement: Placement): Promise<RunResult> {
  const started = await approach.start();
  try {
    if (placement !== 'unpinned') {
      pin({ id: process.pid, thread: false }, 0);
      if (started.pin !== undefined) pin(started.pin, placement === 'split' ? 1 : 0);
    }
    return await runWorkloads(started.client, sizes);
  } finally {
    if (placement !== 'unpinned') unpinSelf();
    await started.dispose();
  }
}

const began = performance.now();
const raw: Record<string, Record<string, RunResult[]>> = {};
for (let run = 0; run < runs; run++) {
  // Runs interleave approaches, so slow drift of the machine spreads over all of them.
  for (const placement of placements) {
    for (const approach of approaches) {
      // A failing approach leaves its cells as 'no result' instead of stopping the whole bench.
      const result = await measure(approach, placement).catch((error: unknown): RunResult => {
        console.error(`${approach.id} (${placement}) failed:`, error);
        return {};
      });
      ((raw[placement] ??= {})[approach.id] ??= []).push(result);
      if (!quick) console.error(`run ${run + 1}/${runs} ${placement} ${approach.id} done`);
    }
  }
}

const report: BenchReport = summarise({
  mode: quick ? 'quick' : 'full',
  machine: {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: CPU_COUNT,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    pinning: noPinning === undefined ? 'taskset' : `unpinned: ${noPinning}`,
  },
  runs,
  sizes,
  placements,
  approaches,
  raw,
  elapsedS: (performance.now() - began) / 1000,
});

await mkdir(outDir, { recursive: true });
const base = quick ? 'quick' : 'latest';
await writeFile(join(outDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(join(outDir, `${base}.md`), renderMarkdown(report));
console.log(renderTable(report));
console.log(`\nWrote ${join(outDir, `${base}.json`)} and ${base}.md (${report.elapsedS.toFixed(1)} s)`);
