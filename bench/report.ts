// Turns the raw runs of `bench/run.ts` into medians (min–max), ratios and target checks, and renders them
// as a console table and a Markdown report.
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
  /** ratios[placement][workload]: Tether over the raw Unix floor and over the best peer (>1 = Tether is higher). */
  readonly ratios: Record<
    string,
    Record<string, { vsFloor?: number; vsBestPeer?: number; bestPeer?: string }>
  >;
  readonly targets: readonly TargetCheck[];
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
        const values = runs.map((run) => run[workload.id]).filter((v): v is number => v !== undefined);
        if (workload.id === 'callbackP50' && approach.callbackUnsupported !== undefined)
          cells[workload.id] = { unsupported: approach.callbackUnsupported };
        else if (values.length === 0) cells[workload.id] = { unsupported: 'no result (the run failed)' };
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
      perWorkload[workload.id] = {
        ...(floor !== undefined ? { vsFloor: mine / floor } : {}),
        ...(best !== undefined ? { vsBestPeer: mine / best.v, bestPeer: best.id } : {}),
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
    a.id === 'tether' ? `**${a.label}**` : a.label,
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
    'round-trip time, 10^6 B per MB; higher is better). "—": unsupported (see the JSON for why).',
    '',
  ];
  for (const placement of report.placements) {
    lines.push(`## ${placement}`, '', markdownTable(rows(report, placement)), '');
  }
  lines.push('## Targets', '', '| placement | target | value | met |', '|---|---|---|---|');
  for (const t of report.targets)
    lines.push(`| ${t.placement} | ${t.target} | ${t.value.toFixed(2)}× | ${t.met ? 'yes' : '**no**'} |`);
  lines.push('');
  return lines.join('\n');
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
