// Renders a ManagerResult as Markdown (a section of bench/results/latest.md, or manager.md) and as a
// console table.
import type { ManagerBudget, ManagerCell, ManagerResult } from './manager-summary.js';

function formatNumber(v: number, digits?: number): string {
  if (digits !== undefined) return v.toFixed(digits);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** "median (min–max)" when there are several values. */
function formatCell(cell: ManagerCell | undefined, digits?: number): string {
  if (cell === undefined) return 'not measured';
  const m = formatNumber(cell.median, digits);
  return cell.values.length > 1
    ? `${m} (${formatNumber(cell.min, digits)}–${formatNumber(cell.max, digits)})`
    : m;
}

function formatCounts(counts: Readonly<Record<string, number>>, digits = 0): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v.toFixed(digits)}`).join(', ');
}

function formatBudgetValue(b: ManagerBudget): string {
  if (Number.isNaN(b.value)) return 'not measured';
  const digits = b.unit === '%' ? 2 : b.unit === '×' ? 2 : b.unit === 'timers' ? 2 : 0;
  return b.unit === '×' ? `${b.value.toFixed(digits)}×` : `${b.value.toFixed(digits)} ${b.unit}`;
}

function rows(result: ManagerResult): { start: string[][]; idle: string[][] } {
  const n = result.config.extensions;
  const { start, idle, census } = result;
  const startRows = [
    [`${n} bare \`node\` processes at once → all up`, `${formatCell(start.bareMs)} ms`],
    [
      `${n} extensions: \`Promise.all(ids.map(manager.start))\` → all running`,
      `${formatCell(start.managerMs)} ms`,
    ],
    ['**manager ÷ bare node (within each round)**', `**${formatCell(start.ratio, 2)}×**`],
    [
      "each extension's `handshakeMs` (snapshot: start → running, all N competing), median of the N",
      `${formatCell(start.handshakeMedianMs)} ms`,
    ],
    ["each extension's `handshakeMs`, slowest of the N", `${formatCell(start.handshakeMaxMs)} ms`],
    [
      "the host's own CPU while they start (process.cpuUsage), per extension",
      `${formatCell(start.hostCpuMsPerStart)} ms`,
    ],
  ];
  const idleRows = [
    [
      '**host CPU** (process.cpuUsage ÷ wall time)',
      `**${formatCell(idle.hostCpuPercent, 3)} %** of one core`,
    ],
    [
      'host CPU, the same manager with the N discovered and none running (same run)',
      `${formatCell(idle.stoppedHostCpuPercent, 3)} % of one core`,
    ],
    [
      '**host timers per extension** (armed with N running − with 1) ÷ (N − 1)',
      census === undefined
        ? 'not measured'
        : `**${census.timersPerExtension.toFixed(2)}** (${census.timersWithOne} with 1 running, ${census.timersWithAll} with ${n})`,
    ],
    [
      'host callbacks during the idle window, by kind',
      census === undefined ? 'not measured' : formatCounts(census.callbacks),
    ],
    [
      '**host memory per extension** (heap + external after GC; N running − before the manager, ÷ N)',
      `**${formatCell(idle.kbPerExtension)} KB**`,
    ],
    [
      'of which running adds (N running − the same N discovered, stopped; ÷ N): V8 heap + external',
      `${formatCell(idle.kbPerRunningExtension)} KB = ${formatCell(idle.heapKbPerRunningExtension)} + ${formatCell(idle.externalKbPerRunningExtension)} KB`,
    ],
    [
      "ref'd handles per extension (`process.getActiveResourcesInfo()`)",
      census === undefined ? 'not measured' : formatCounts(census.resourcesPerExtension, 2),
    ],
    [`the ${n} extension processes: CPU, summed`, `${formatCell(idle.childCpuMsPerS, 2)} ms/s`],
    [`the ${n} extension processes: wake-ups, summed`, `${formatCell(idle.childWakeupsPerS)} /s`],
  ];
  return { start: startRows, idle: idleRows };
}

function markdownTable(header: string[], body: string[][]): string {
  return [header, header.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function renderManagerMarkdown(result: ManagerResult): string {
  const m = result.machine;
  const c = result.config;
  const n = c.extensions;
  const { start, idle } = rows(result);
  const spread = 'median (min–max) over';
  const lines = [
    `# Tether manager benchmark (${result.mode})`,
    '',
    `${m.cpu}, ${m.cores} CPUs, Node ${m.node}, ${m.platform}, ${m.date}. Unpinned; ${m.load}.`,
    `${n} extensions, each a folder with its manifest (\`"activation": "onDemand"\`, the app's handshake) and its`,
    `own bundled plugin (one minified CommonJS file, ${(result.bundleBytes / 1024).toFixed(0)} KiB, serving one service), run by an`,
    '`ExtensionHostManager` with default options (electron-log files, folder watching). A fresh manager per',
    `run; ${result.runs} run(s) of ${c.rounds} start round(s), after one untimed round on a manager thrown away.`,
    ...(result.mode === 'quick'
      ? [
          `Quick: ${n} extensions, one run, short windows — the shape of the full run, not its figures; the`,
          'budgets are set for 50 (`npm run bench` without `--quick`).',
        ]
      : []),
    '',
    `## Start: ${n} at once`,
    '',
    `Each round starts ${n} bare \`node\` processes at once and ${n} extensions at once, one after the other (which`,
    'first alternates), and takes the ratio within the round; ' + `${spread} rounds.`,
    `Bare node counts as up at: ${result.bareReady}. An extension is \`running\` once its process has`,
    'booted, loaded its bundle, connected to its private socket and completed the handshake (HELLO → WELCOME →',
    "READY): the ratio includes all of that and the manager's own work (state, private socket directory, process",
    'group, supervision), and no call.',
    '',
    markdownTable(['', 'figure'], start),
    '',
    `## Idle: ${n} running, nobody watching`,
    '',
    `${c.settleMs} ms after the last one runs, a ${c.windowMs} ms idle window; memory after a full GC; ${spread} runs.`,
    `Timers: an async hook counts the host's timers, unref'd ones included, in a separate round with 1 and then`,
    `all ${n} running (the hook slows promises, so no timed figure is taken with it).`,
    '',
    markdownTable(['', 'figure'], idle),
    '',
    '## Budgets (issue 11)',
    '',
    '| budget | measured | met |',
    '|---|---|---|',
    ...result.budgets.map(
      (b) => `| ${b.budget} | ${formatBudgetValue(b)} — ${b.detail} | ${b.met ? 'yes' : '**no**'} |`,
    ),
    '',
    `Elapsed: ${result.elapsedS.toFixed(1)} s.`,
  ];
  if (result.failures.length > 0) lines.push('', '## Failures', '', ...result.failures.map((f) => `- ${f}`));
  lines.push('');
  return lines.join('\n');
}

export function renderManagerTable(result: ManagerResult): string {
  const { start, idle } = rows(result);
  const out: string[] = [];
  for (const [title, body] of [
    [`Manager, start ${result.config.extensions} at once`, start],
    [`Manager, ${result.config.extensions} idle`, idle],
  ] as const) {
    const plain = body.map((r) => r.map((cell) => cell.replaceAll('**', '').replaceAll('`', '')));
    const width = Math.max(...plain.map((r) => r[0]!.length));
    out.push(`\n${title}:`);
    for (const r of plain) out.push(`  ${r[0]!.padEnd(width)}  ${r[1]}`);
  }
  out.push('\nManager budgets:');
  for (const b of result.budgets)
    out.push(`  [${b.met ? 'met ' : 'MISS'}] ${b.budget}: ${formatBudgetValue(b)} (${b.detail})`);
  if (result.failures.length > 0) out.push('\nManager failures:', ...result.failures.map((f) => `  ${f}`));
  return out.join('\n');
}
