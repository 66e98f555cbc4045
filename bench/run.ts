// `npm run bench`: Tether against the raw floors and the peers, host and plugin in separate processes,
// the same workloads for all, both CPU placements. Writes bench/results/latest.{json,md}.
//   --quick   1 run, few iterations, small streams, Tether + raw floor + birpc, one placement
//             (written to results/tmp/)
//   --runs N  runs per cell (default 3)      --out DIR  where to write the results
//   --no-lifecycle  skip start/stop/idle (bench/lifecycle; ~100 s of a full run, ~7 s quick)
//   --no-manager    skip the manager section (bench/manager: 50 extensions started at once and idle, against
//             the budgets of issue 11; ~90 s of a full run; quick: 10 extensions, ~8 s)
//   --only a,b  only these approaches (ids)      --workloads x,y  only these workloads (ids); cells of the
//             others say "no result"; both skip the lifecycle and manager sections. To profile:
//             TETHER_BENCH_CPU_PROF=DIR npm run bench -- --only tether --workloads streamToHost (every child
//             writes DIR/*.cpuprofile; add --cpu-prof for the host)
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { birpc } from './approaches/birpc.js';
import { comlinkFork } from './approaches/comlink-fork.js';
import { comlinkWorker } from './approaches/comlink-worker.js';
import { rawIpc } from './approaches/raw-ipc.js';
import { rawUnix } from './approaches/raw-unix.js';
import { tetherPort } from './approaches/tether-port.js';
import { tether } from './approaches/tether.js';
import { vscodeJsonrpc } from './approaches/vscode-jsonrpc.js';
import {
  CPU_COUNT,
  FULL_SIZES,
  HOST_CPU,
  OTHER_CPU,
  QUICK_SIZES,
  WORKLOADS,
  pin,
  pinningUnavailable,
  runWorkloads,
  unpinSelf,
  type Approach,
  type Placement,
  type RunResult,
  type WorkloadId,
} from './harness.js';
import { renderLifecycleMarkdown, renderLifecycleTable, runLifecycle } from './lifecycle/lifecycle.js';
import { renderManagerMarkdown, renderManagerTable, runManagerBench } from './manager/manager-bench.js';
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

// What describes the machine is read before anything is pinned (a pinned process sees one CPU).
const noPinning = pinningUnavailable();
const machine = {
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: CPU_COUNT,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  date: new Date().toISOString(),
  pinning: noPinning === undefined ? 'taskset' : `unpinned: ${noPinning}`,
};

const all = [tether, tetherPort, rawUnix, rawIpc, vscodeJsonrpc, birpc, comlinkFork, comlinkWorker];
const only = option('--only')?.split(',');
const onlyWorkloads = option('--workloads')?.split(',') as WorkloadId[] | undefined;
const approaches: Approach[] =
  only !== undefined
    ? all.filter((approach) => only.includes(approach.id))
    : quick
      ? [tether, rawUnix, birpc]
      : all;
const placements: Placement[] =
  noPinning !== undefined ? ['unpinned'] : quick ? ['split'] : ['split', 'same'];
const sizes = quick ? QUICK_SIZES : FULL_SIZES;

async function measure(approach: Approach, placement: Placement): Promise<RunResult> {
  const started = await approach.start();
  try {
    if (placement !== 'unpinned') {
      // The whole bench first (a worker's thread too), then the child side on its own CPU.
      pin({ id: process.pid, thread: false }, HOST_CPU);
      if (started.pin !== undefined) pin(started.pin, placement === 'split' ? OTHER_CPU : HOST_CPU);
    }
    const result = await runWorkloads(started.client, sizes, onlyWorkloads);
    for (const [workload, reason] of Object.entries(result.failures))
      console.error(`${approach.id} (${placement}) ${workload}: ${reason}`);
    return result;
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
        const reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
        return { values: {}, failures: Object.fromEntries(WORKLOADS.map((w) => [w.id, reason])) };
      });
      ((raw[placement] ??= {})[approach.id] ??= []).push(result);
      if (!quick) console.error(`run ${run + 1}/${runs} ${placement} ${approach.id} done`);
    }
  }
}

// Workloads 6–7 (start, stop, idle) start fresh processes of every approach: their own module, the same run.
const withLifecycle = !argv.includes('--no-lifecycle') && only === undefined && onlyWorkloads === undefined;
const lifecycle = withLifecycle
  ? await runLifecycle({ quick, runs, log: (line) => quick || console.error(`lifecycle ${line}`) })
  : undefined;

// The manager (issue 11): 50 extensions started at once against 50 bare node processes, then idle.
const withManager = !argv.includes('--no-manager') && only === undefined && onlyWorkloads === undefined;
const manager = withManager
  ? await runManagerBench({ quick, runs, log: (line) => quick || console.error(`manager ${line}`) })
  : undefined;

const report: BenchReport = {
  ...summarise({
    mode: quick ? 'quick' : 'full',
    machine,
    runs,
    sizes,
    placements,
    approaches,
    raw,
    elapsedS: (performance.now() - began) / 1000,
  }),
  ...(lifecycle === undefined ? {} : { lifecycle }),
  ...(manager === undefined ? {} : { manager }),
};

await mkdir(outDir, { recursive: true });
const base = quick ? 'quick' : 'latest';
await writeFile(join(outDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
// One level down: each is a section of this report.
const section = (markdown: string): string => `\n${markdown.replace(/^(#+) /gm, '#$1 ')}`;
const lifecycleMarkdown = lifecycle === undefined ? '' : section(renderLifecycleMarkdown(lifecycle));
const managerMarkdown = manager === undefined ? '' : section(renderManagerMarkdown(manager));
await writeFile(
  join(outDir, `${base}.md`),
  `${renderMarkdown(report)}${lifecycleMarkdown}${managerMarkdown}`,
);
console.log(renderTable(report));
if (lifecycle !== undefined) console.log(`\n${renderLifecycleTable(lifecycle)}`);
if (manager !== undefined) console.log(renderManagerTable(manager));
console.log(`\nWrote ${join(outDir, `${base}.json`)} and ${base}.md (${report.elapsedS.toFixed(1)} s)`);
