// Turns the raw runs of `bench/run.ts` into medians (min–max), ratios and target checks, and renders them
// as a console table and a Markdown report.
import type { LifecycleResult } from './lifecycle/lifecycle.js';
import type { ManagerResult } from './manager/manager-bench.js';
import {
  WORKLOADS,
  type Approach,
  type Placement,
  type RunResult,
  type WorkloadId,
  type WorkloadSizes,
} from './harness.js';

export type Cell =
  | { readonly median: number; readonly min: number; readonly max: number; readonly runs: readonly number[] }
  | { readonly unsupported: string };

export interface TargetCheck {
  readonly placement: Placement;
  readonly target: string;
  readonly value: number;
  readonly limit: number;
  readonly met: boolean;
}

export interface BenchReport {
  readonly mode: 'quick' | 'full';
  readonly machine: Record<string, string | number>;
  readonly runs: number;
  readonly sizes: WorkloadSizes;
  readonly elapsedS: number;
  readonly placements: readonly Placement[];
  readonly approaches: readonly { id: string; label: string; kind: Approach['kind'] }[];
  readonly workloads: typeof WORKLOADS;
  /** results[placement][approach][workload] */
  readonly results: Record<string, Record<string, Record<string, Cell>>>;
  /**
   * ratios[placement][workload]: Tether (Unix socket) over the raw Unix floor and over the best peer, and
   * Tether over a MessagePort over comlink over a worker (the one-process pair); >1 = Tether is higher.
   */
  readonly ratios: Record<
    string,
    Record<string, { vsFloor?: number; vsBestPeer?: number; bestPeer?: string; portVsComlinkWorker?: number }>
  >;
  readonly targets: readonly TargetCheck[];
  /** Workloads 6–7 (bench/lifecycle), absent with --no-lifecycle, --only or --workloads. */
  readonly lifecycle?: LifecycleResult;
  /** The manager with 50 extensions (bench/manager, issue 11), absent with --no-manager, --only or --workloads. */
  readonly manager?: ManagerResult;
}

export interface SummaryInput {
  readonly mode: 'quick' | 'full';
  readonly machine: Record<string, string | number>;
  readonly runs: number;
  readonly sizes: WorkloadSizes;
  readonly placements: readonly Placement[];
  readonly approaches: readonly Approach[];
  readonly raw: Record<string, Record<string, RunResult[]>>;
  readonly elapsedS: number;
}

const FLOOR = 'raw-unix';
const TETHER_PORT = 'tether-port';
const COMLINK_WORKER = 'comlink-worker';

/** Said under every Markdown report: what the table cannot say by itself. */
const NOTES = [
  "Tether's Electron utility-process transport (`MessagePortMain`) cannot run here (no Electron binary): " +
    '"Tether (MessagePortTransport, worker)" runs the same transport class over a worker_threads port instead.',
  'Streams: Tether returns / takes an async generator of Uint8Array (an RPC stream with credit-based ' +
    'backpressure); the raw Unix floor writes length-prefixed frames with write()/drain and counts payload ' +
    'bytes without reassembling; raw fork IPC sends each chunk as a message, its send() callback freeing a slot in a window of 4; the peers without streams pull: the receiver keeps 4 `next()` calls in flight, each returning one chunk (vscode-jsonrpc: base64), the host exposing `next()` for host → child.',
  'Every receiver sums the byteLength of what it received and the total is checked against what was sent.',
  '1 MiB echo: Tether hands the bytes over with `transfer()` on both sides, so they are written as they are ' +
    "(the floor's socket.write semantics; the caller does not modify them in flight). Without `transfer()` " +
    'Tether copies call arguments when the call is made, as postMessage does (bench/dev/echo-wall.ts measures ' +
    'that path). Stream chunks of 64 KiB and more are never copied on the sending side.',
];

export function summarise(input: SummaryInput): BenchReport {
  const results: BenchReport['results'] = {};
  const ratios: BenchReport['ratios'] = {};
  const targets: TargetCheck[] = [];
  for (const placement of input.placements) {
    const byApproach: Record<string, Record<string, Cell>> = (results[placement] = {});
    for (const approach of input.approaches) {
      const runs = input.raw[placement]?.[approach.id] ?? [];
      const cells: Record<string, Cell> = (byApproach[approach.id] = {});
      for (const workload of WORKLOADS) {
        const values = runs.map((run) => run.values[workload.id]).filter((v): v is number => v !== undefined);
        const failure = runs.map((run) => run.failures[workload.id]).find((f) => f !== undefined);
        const declared = approach.unsupported?.[workload.id];
        if (declared !== undefined) cells[workload.id] = { unsupported: declared };
        else if (values.length === 0) cells[workload.id] = { unsupported: failure ?? 'no result' };
        else
          cells[workload.id] = {
            median: median(values),
            min: Math.min(...values),
            max: Math.max(...values),
            runs: values,
          };
      }
    }
    const value = (approach: string, workload: WorkloadId): number | undefined => {
      const cell = byApproach[approach]?.[workload];
      return cell !== undefined && 'median' in cell ? cell.median : undefined;
    };
    const perWorkload: BenchReport['ratios'][string] = (ratios[placement] = {});
    for (const workload of WORKLOADS) {
      const mine = value('tether', workload.id);
      if (mine === undefined) continue;
      const floor = value(FLOOR, workload.id);
      let best: { id: string; v: number } | undefined;
      for (const approach of input.approaches) {
        const v = value(approach.id, workload.id);
        if (approach.kind !== 'peer' || v === undefined) continue;
        if (best === undefined || (workload.better === 'higher' ? v > best.v : v < best.v))
          best = { id: approach.id, v };
      }
      const port = value(TETHER_PORT, workload.id);
      const comlink = value(COMLINK_WORKER, workload.id);
      perWorkload[workload.id] = {
        ...(floor !== undefined ? { vsFloor: mine / floor } : {}),
        ...(best !== undefined ? { vsBestPeer: mine / best.v, bestPeer: best.id } : {}),
        ...(port !== undefined && comlink !== undefined ? { portVsComlinkWorker: port / comlink } : {}),
      };
    }
    const r = perWorkload;
    const check = (target: string, v: number | undefined, limit: number, atLeast: boolean): void => {
      if (v !== undefined)
        targets.push({ placement, target, value: v, limit, met: atLeast ? v >= limit : v <= limit });
    };
    check('64 in flight ≥ 2.5× best peer', r.inFlight64?.vsBestPeer, 2.5, true);
    check('64 in flight ≥ ½ raw Unix floor', r.inFlight64?.vsFloor, 0.5, true);
    check('small call p50 ≤ 1.25× raw floor', r.smallP50?.vsFloor, 1.25, false);
    check('1 MiB echo ≥ 80% of raw floor', r.echo1MiB?.vsFloor, 0.8, true);
    check('stream child → host ≥ 80% of raw floor', r.streamToHost?.vsFloor, 0.8, true);
    check('stream host → child ≥ 80% of raw floor', r.streamToChild?.vsFloor, 0.8, true);
    const cb = value('tether', 'callbackP50');
    const plain = value('tether', 'smallP50');
    check(
      'callback RT ≤ 1.3× plain call',
      cb !== undefined && plain !== undefined ? cb / plain : undefined,
      1.3,
      false,
    );
  }
  return {
    mode: input.mode,
    machine: input.machine,
    runs: input.runs,
    sizes: input.sizes,
    elapsedS: input.elapsedS,
    placements: input.placements,
    approaches: input.approaches.map(({ id, label, kind }) => ({ id, label, kind })),
    workloads: WORKLOADS,
    results,
    ratios,
    targets,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatNumber(v: number, unit: string): string {
  if (unit === 'calls/s') return v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${Math.round(v / 1000)}k`;
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function formatCell(cell: Cell | undefined, unit: string, runs: number): string {
  if (cell === undefined) return '?';
  if ('unsupported' in cell) return '—';
  const m = formatNumber(cell.median, unit);
  return runs > 1 ? `${m} (${formatNumber(cell.min, unit)}–${formatNumber(cell.max, unit)})` : m;
}

function rows(report: BenchReport, placement: Placement): string[][] {
  const header = ['approach', ...report.workloads.map((w) => `${w.label} (${w.unit})`)];
  const body = report.approaches.map((a) => [
    a.id.startsWith('tether') ? `**${a.label}**` : a.label,
    ...report.workloads.map((w) =>
      formatCell(report.results[placement]?.[a.id]?.[w.id], w.unit, report.runs),
    ),
  ]);
  const ratio = report.ratios[placement] ?? {};
  const fmt = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(2)}×`);
  body.push(['Tether ÷ raw Unix floor', ...report.workloads.map((w) => fmt(ratio[w.id]?.vsFloor))]);
  body.push([
    'Tether ÷ best peer',
    ...report.workloads.map((w) => {
      const r = ratio[w.id];
      return r?.vsBestPeer === undefined ? '—' : `${fmt(r.vsBestPeer)} (${r.bestPeer})`;
    }),
  ]);
  if (report.workloads.some((w) => ratio[w.id]?.portVsComlinkWorker !== undefined))
    body.push([
      'Tether port ÷ comlink worker (one process)',
      ...report.workloads.map((w) => fmt(ratio[w.id]?.portVsComlinkWorker)),
    ]);
  return [header, ...body];
}

function markdownTable(table: string[][]): string {
  const [header, ...body] = table;
  return [header!, header!.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# Tether benchmark (${report.mode})`,
    '',
    `${m.cpu}, ${m.cores} CPUs, Node ${m.node}, ${m.platform}, ${m.date}. Placement: ${m.pinning}.`,
    `Medians of ${report.runs} run(s), (min–max) over runs; each run starts a fresh child process.`,
    'Latency in µs (lower is better); 64 in flight in calls/s and 1 MiB echo in MB/s (1 MiB over the median',
    'round-trip time, 10^6 B per MB; higher is better). Streams: MB/s of one stream of',
    `${report.sizes.streamBytes / 2 ** 20} MiB in ${report.sizes.streamChunk / 1024} KiB chunks, from the call that starts it to the receiver`,
    'having counted the last byte. "—": unsupported (why: under Notes).',
    '',
  ];
  for (const placement of report.placements) {
    lines.push(`## ${placement}`, '', markdownTable(rows(report, placement)), '');
  }
  lines.push('## Targets', '', '| placement | target | value | met |', '|---|---|---|---|');
  for (const t of report.targets)
    lines.push(`| ${t.placement} | ${t.target} | ${t.value.toFixed(2)}× | ${t.met ? 'yes' : '**no**'} |`);
  lines.push('', '## Notes', '');
  for (const [where, reason] of unsupportedReasons(report)) lines.push(`- ${where}: ${reason}`);
  for (const note of NOTES) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}

/** Each distinct reason a cell has no number, with the approach, workload and placements it applies to. */
function unsupportedReasons(report: BenchReport): [string, string][] {
  const where = new Map<string, { approach: string; workload: string; placements: string[] }>();
  for (const placement of report.placements)
    for (const approach of report.approaches)
      for (const workload of report.workloads) {
        const cell = report.results[placement]?.[approach.id]?.[workload.id];
        if (cell === undefined || !('unsupported' in cell)) continue;
        const key = `${approach.id}\u0000${workload.id}\u0000${cell.unsupported}`;
        const entry = where.get(key) ?? {
          approach: approach.label,
          workload: workload.label,
          placements: [],
        };
        entry.placements.push(placement);
        where.set(key, entry);
      }
  return [...where].map(([key, e]) => [
    `${e.approach}, ${e.workload} (${e.placements.join(', ')})`,
    key.split('\u0000')[2]!,
  ]);
}

export function renderTable(report: BenchReport): string {
  const out: string[] = [];
  for (const placement of report.placements) {
    const table = rows(report, placement).map((r) => r.map((c) => c.replaceAll('**', '')));
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    out.push(`\n${placement}:`);
    for (const r of table) out.push(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  }
  out.push('\nTargets:');
  for (const t of report.targets)
    out.push(`  [${t.met ? 'met ' : 'MISS'}] ${t.placement}: ${t.target}: ${t.value.toFixed(2)}×`);
  return out.join('\n');
}
