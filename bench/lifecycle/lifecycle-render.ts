// Renders a LifecycleResult as Markdown (bench/results/lifecycle.md) and as a console table.
import type { LifecycleMetric, LifecycleMetricId } from './lifecycle-metrics.js';
import type { LifecycleCell, LifecycleResult } from './lifecycle-summary.js';

const START_METRICS: readonly LifecycleMetricId[] = ['startMs', 'stopMs'];
const IDLE_METRICS: readonly LifecycleMetricId[] = [
  'idleRssMB',
  'idlePssMB',
  'groupRssMB',
  'groupPssMB',
  'groupHostCpu',
  'groupChildCpuStat',
  'groupChildCpuRun',
  'groupChildWakeups',
];
const PHASE_LABELS: Record<string, string> = {
  spawned: 'spawned',
  connected: 'connected',
  handshake: 'handshake done',
  firstCall: 'first call',
};

function formatNumber(v: number, unit: string): string {
  if (unit === 'ms/s') return v.toFixed(2);
  if (unit === 'MB' || unit === '/s') return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** "median (min–max)": over runs when there are several, else over the samples of the one run. */
function formatCell(cell: LifecycleCell | undefined, unit: string): string {
  if (cell === undefined) return '?';
  if ('unsupported' in cell) return '—';
  const m = formatNumber(cell.median, unit);
  const spread =
    cell.runs.length > 1
      ? [cell.min, cell.max]
      : cell.samples !== undefined && cell.samples.length > 1
        ? [Math.min(...cell.samples), Math.max(...cell.samples)]
        : undefined;
  return spread === undefined
    ? m
    : `${m} (${formatNumber(spread[0]!, unit)}–${formatNumber(spread[1]!, unit)})`;
}

function formatPhases(result: LifecycleResult, id: string): string {
  const phases = result.phases[id];
  if (phases === undefined) return '—';
  // Each phase as its own duration (the recorded marks are cumulative from the start request).
  let previous = 0;
  const parts: string[] = [];
  for (const [phase, cell] of Object.entries(phases)) {
    if ('unsupported' in cell) continue;
    parts.push(`${PHASE_LABELS[phase] ?? phase} +${formatNumber(cell.median - previous, 'ms')}`);
    previous = cell.median;
  }
  return parts.join(' · ');
}

function table(
  result: LifecycleResult,
  metricIds: readonly LifecycleMetricId[],
  phases: boolean,
): string[][] {
  const metrics = metricIds
    .map((id) => result.metrics.find((m) => m.id === id))
    .filter((m): m is LifecycleMetric => m !== undefined);
  const groupLabel = (m: LifecycleMetric): string => m.label.replace('group', `${result.config.groupSize}`);
  const header = [
    'approach',
    ...metrics.map((m) => `${groupLabel(m)} (${m.unit})`),
    ...(phases ? ['phases, median ms each'] : []),
  ];
  const body = result.approaches.map((a) => [
    a.id === 'tether' ? `**${a.label}**` : a.label,
    ...metrics.map((m) => formatCell(result.results[a.id]?.[m.id], m.unit)),
    ...(phases ? [formatPhases(result, a.id)] : []),
  ]);
  const ratioRow = (label: string, pick: (id: LifecycleMetricId) => string | undefined): void => {
    const cells = metrics.map((m) => (m.ratios ? (pick(m.id) ?? '—') : '—'));
    if (cells.some((c) => c !== '—')) body.push([label, ...cells, ...(phases ? [''] : [])]);
  };
  const times = (v: number | undefined): string | undefined =>
    v === undefined ? undefined : `${v.toFixed(2)}×`;
  ratioRow('Tether ÷ bare node', (id) => times(result.ratios[id]?.vsBareNode));
  ratioRow('Tether ÷ raw Unix floor', (id) => times(result.ratios[id]?.vsFloor));
  ratioRow('Tether ÷ best peer', (id) => {
    const r = result.ratios[id];
    return r?.vsBestPeer === undefined ? undefined : `${times(r.vsBestPeer)} (${r.bestPeer})`;
  });
  return [header, ...body];
}

function markdownTable(rows: string[][]): string {
  const [header, ...body] = rows;
  return [header!, header!.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function formatTarget(t: LifecycleResult['targets'][number]): string {
  const value = Number.isNaN(t.value)
    ? 'not measured'
    : `${t.value >= 0 ? '+' : ''}${t.value.toFixed(1)} ${t.unit}`;
  return `${t.target}: ${value} (${t.detail})`;
}

export function renderLifecycleMarkdown(result: LifecycleResult): string {
  const m = result.machine;
  const c = result.config;
  const spread = result.runs > 1 ? 'min–max over runs' : 'min–max over the samples of the run';
  const kb = (name: string): string =>
    `${((result.bundling.bytes[name] ?? Number.NaN) / 1024).toFixed(0)} KiB`;
  const lines = [
    `# Tether lifecycle benchmark (${result.mode})`,
    '',
    `${m.cpu}, ${m.cores} CPUs, Node ${m.node}, ${m.platform}, ${m.date}. Unpinned; ${m.load}.`,
    `${result.runs} run(s) of ${c.samples} start/stop samples per approach, each a fresh process, approaches`,
    `interleaved; medians of the runs' medians (${spread}). Every child is a minified CommonJS bundle`,
    '(esbuild, sdk from source; how a plugin should ship) run by plain `node`. Idle: one process of each approach after its first call and',
    `${c.idleOneMs} ms idle; then ${c.groupSize} at once per approach, ${c.settleMs} ms to settle and a`,
    `${c.windowMs} ms idle window. MB = 10^6 bytes; CPU in ms of CPU per second of window (all children`,
    'summed); wake-ups = times any thread of the children was scheduled in, per second.',
    '',
    '## Start and stop',
    '',
    markdownTable(table(result, START_METRICS, true)),
    '',
    '## Idle memory and CPU',
    '',
    markdownTable(table(result, IDLE_METRICS, false)),
    '',
    '## Targets',
    '',
    '| target | Tether over its baseline | met |',
    '|---|---|---|',
    ...result.targets.map(
      (t) =>
        `| ${t.target} | ${Number.isNaN(t.value) ? 'not measured' : `${t.value.toFixed(1)} ${t.unit}`} — ${t.detail} | ${t.met ? 'yes' : '**no**'} |`,
    ),
    '',
    '## Notes',
    '',
    `- Stop: ${result.approaches.map((a) => `${a.id}: ${a.stopHow}`).join('; ')}.`,
    `- Bundles: Tether plugin ${kb('tether-plugin')}, raw Unix child ${kb('raw-unix-child')}, vscode-jsonrpc` +
      ` ${kb('vscode-jsonrpc-child')}, birpc ${kb('birpc-child')}, comlink ${kb('comlink-child')}; built in` +
      ` ${result.bundling.elapsedMs.toFixed(0)} ms. The unbundled variant loads the sdk from` +
      ` ${result.bundling.unbundledSdkFiles} transpiled modules (as \`tsc\` would emit them).`,
    `- Elapsed: ${result.elapsedS.toFixed(1)} s.`,
  ];
  if (result.failures.length > 0) lines.push('', '## Failures', '', ...result.failures.map((f) => `- ${f}`));
  lines.push('');
  return lines.join('\n');
}

export function renderLifecycleTable(result: LifecycleResult): string {
  const out: string[] = [];
  for (const [title, metrics, phases] of [
    ['Start and stop', START_METRICS, true],
    ['Idle memory and CPU', IDLE_METRICS, false],
  ] as const) {
    const rows = table(result, metrics, phases).map((r) => r.map((cell) => cell.replaceAll('**', '')));
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    out.push(`\n${title}:`);
    for (const r of rows) out.push(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  }
  out.push('\nTargets:');
  for (const t of result.targets) out.push(`  [${t.met ? 'met ' : 'MISS'}] ${formatTarget(t)}`);
  if (result.failures.length > 0) out.push('\nFailures:', ...result.failures.map((f) => `  ${f}`));
  return out.join('\n');
}
