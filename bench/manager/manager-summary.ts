// Turns the raw rounds, idle samples and timer census of the manager bench into cells (median, min–max)
// and checks the budgets (issue 11) against them.
import type { ManagerBenchConfig } from './manager-config.js';
import type { HostCpuSample, IdleSample, StartRound, TimerCensusSample } from './measure-manager.js';
import type { HostMemory } from './host-memory.js';

/** All N running in at most this many times the time N bare node processes take to be up (same round). */
export const START_RATIO_BUDGET = 1.5;
/** The host's CPU with N idle extensions and nobody watching, % of one core. */
export const IDLE_CPU_BUDGET_PERCENT = 1;
/** Timers the host keeps per idle extension. */
export const TIMERS_PER_EXTENSION_BUDGET = 0;
/** The host's memory per idle extension, KB (10^3 bytes). */
export const MEMORY_PER_EXTENSION_BUDGET_KB = 200;

export interface ManagerCell {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** One value per round (start figures) or per run (idle figures). */
  readonly values: readonly number[];
}

/**
 * A run's idle sample, with the host's memory after GC before `create` and just after (N discovered), and
 * its CPU over an idle window with the N discovered and none running (what the host costs anyway).
 */
export interface IdleRun extends IdleSample {
  readonly beforeCreate: HostMemory;
  readonly created: HostMemory;
  readonly stopped: HostCpuSample;
}

export interface ManagerRaw {
  /** rounds[run][round] */
  readonly rounds: StartRound[][];
  /** One per run. */
  readonly idle: IdleRun[];
  census: TimerCensusSample | undefined;
  readonly failures: string[];
}

export interface ManagerBudget {
  readonly budget: string;
  /** NaN when not measured (see `detail`). */
  readonly value: number;
  readonly unit: string;
  readonly limit: number;
  readonly met: boolean;
  readonly detail: string;
}

export interface ManagerResult {
  readonly mode: 'quick' | 'full';
  readonly machine: Record<string, string | number>;
  readonly runs: number;
  readonly config: ManagerBenchConfig;
  readonly elapsedS: number;
  readonly bundleBytes: number;
  /** What counts as "up" for a bare node process. */
  readonly bareReady: string;
  readonly start: {
    readonly bareMs?: ManagerCell;
    readonly managerMs?: ManagerCell;
    /** managerMs ÷ bareMs of each round. */
    readonly ratio?: ManagerCell;
    /** Per round: the median and the slowest of the N snapshots' `handshakeMs`. */
    readonly handshakeMedianMs?: ManagerCell;
    readonly handshakeMaxMs?: ManagerCell;
    /** The host's CPU while the N started, per extension, ms. */
    readonly hostCpuMsPerStart?: ManagerCell;
  };
  readonly idle: {
    readonly hostCpuPercent?: ManagerCell;
    /** The same manager with the N discovered and none running, in the same run: the host's own floor. */
    readonly stoppedHostCpuPercent?: ManagerCell;
    /** The N extensions' processes, summed: ms of CPU per s, and wake-ups per s. */
    readonly childCpuMsPerS?: ManagerCell;
    readonly childWakeupsPerS?: ManagerCell;
    /** (N running idle − before the manager was created) ÷ N, heap + external after GC, KB. */
    readonly kbPerExtension?: ManagerCell;
    /** (N running idle − the same N discovered and stopped) ÷ N, KB: what running adds. */
    readonly kbPerRunningExtension?: ManagerCell;
    /** Its two parts: V8 heap, and external (Buffers, ArrayBuffers), KB. */
    readonly heapKbPerRunningExtension?: ManagerCell;
    readonly externalKbPerRunningExtension?: ManagerCell;
  };
  readonly census?: TimerCensusSample & {
    /** (timers with N − timers with 1) ÷ (N − 1). */
    readonly timersPerExtension: number;
    /** Ref'd handles and requests per extension, by kind (grown from 1 to N running, ÷ (N − 1)). */
    readonly resourcesPerExtension: Readonly<Record<string, number>>;
  };
  readonly budgets: readonly ManagerBudget[];
  readonly failures: readonly string[];
}

export interface ManagerSummaryInput {
  readonly mode: 'quick' | 'full';
  readonly machine: Record<string, string | number>;
  readonly runs: number;
  readonly config: ManagerBenchConfig;
  readonly raw: ManagerRaw;
  readonly bundleBytes: number;
  readonly bareReady: string;
  readonly elapsedS: number;
}

export function summariseManager(input: ManagerSummaryInput): ManagerResult {
  const { raw, config } = input;
  const n = config.extensions;
  const rounds = raw.rounds.flat();
  const idle = raw.idle;
  const kb = (bytes: number): number => bytes / 1000 / n;
  const perRun = <T>(pick: (sample: IdleRun) => T): T[] => idle.map(pick);
  const census = raw.census;
  const start = {
    bareMs: cellOf(rounds.map((r) => r.bareMs)),
    managerMs: cellOf(rounds.map((r) => r.managerMs)),
    ratio: cellOf(rounds.map((r) => r.managerMs / r.bareMs)),
    handshakeMedianMs: cellOf(rounds.map((r) => median(r.handshakeMs))),
    handshakeMaxMs: cellOf(rounds.map((r) => Math.max(...r.handshakeMs))),
    hostCpuMsPerStart: cellOf(rounds.map((r) => r.hostCpuMs / n)),
  };
  const idleCells = {
    hostCpuPercent: cellOf(perRun((s) => percent(s))),
    stoppedHostCpuPercent: cellOf(perRun((s) => percent(s.stopped))),
    childCpuMsPerS: cellOf(perRun((s) => perSecond(s, s.childCpuMs))),
    childWakeupsPerS: cellOf(perRun((s) => perSecond(s, s.childWakeups))),
    kbPerExtension: cellOf(
      perRun((s) => kb(s.running.heapAndExternalBytes - s.beforeCreate.heapAndExternalBytes)),
    ),
    kbPerRunningExtension: cellOf(
      perRun((s) => kb(s.running.heapAndExternalBytes - s.created.heapAndExternalBytes)),
    ),
    heapKbPerRunningExtension: cellOf(perRun((s) => kb(s.running.heapUsedBytes - s.created.heapUsedBytes))),
    externalKbPerRunningExtension: cellOf(
      perRun((s) => kb(s.running.externalBytes - s.created.externalBytes)),
    ),
  };
  const censusResult =
    census === undefined
      ? undefined
      : {
          ...census,
          timersPerExtension: (census.timersWithAll - census.timersWithOne) / Math.max(1, n - 1),
          resourcesPerExtension: Object.fromEntries(
            [...new Set([...Object.keys(census.resourcesWithAll), ...Object.keys(census.resourcesWithOne)])]
              .map((kind): [string, number] => [
                kind,
                ((census.resourcesWithAll[kind] ?? 0) - (census.resourcesWithOne[kind] ?? 0)) /
                  Math.max(1, n - 1),
              ])
              .filter(([, v]) => v !== 0),
          ),
        };
  return {
    mode: input.mode,
    machine: input.machine,
    runs: input.runs,
    config,
    elapsedS: input.elapsedS,
    bundleBytes: input.bundleBytes,
    bareReady: input.bareReady,
    start: defined(start),
    idle: defined(idleCells),
    ...(censusResult === undefined ? {} : { census: censusResult }),
    budgets: budgets(n, start.ratio, idleCells.hostCpuPercent, censusResult, idleCells.kbPerExtension),
    failures: raw.failures,
  };
}

function budgets(
  n: number,
  ratio: ManagerCell | undefined,
  cpu: ManagerCell | undefined,
  census: ManagerResult['census'],
  memory: ManagerCell | undefined,
): ManagerBudget[] {
  const check = (
    budget: string,
    value: number | undefined,
    unit: string,
    limit: number,
    detail: string,
  ): ManagerBudget =>
    value === undefined || !Number.isFinite(value)
      ? { budget, value: Number.NaN, unit, limit, met: false, detail: 'not measured (see failures)' }
      : { budget, value, unit, limit, met: value <= limit, detail };
  return [
    check(
      `${n} started at once: all running ≤ ${START_RATIO_BUDGET}× ${n} bare node processes`,
      ratio?.median,
      '×',
      START_RATIO_BUDGET,
      'median over rounds of the ratio within each round',
    ),
    check(
      `${n} idle: host CPU ≤ ${IDLE_CPU_BUDGET_PERCENT}% of one core`,
      cpu?.median,
      '%',
      IDLE_CPU_BUDGET_PERCENT,
      'process.cpuUsage over the idle window, median over runs',
    ),
    check(
      `${n} idle: ${TIMERS_PER_EXTENSION_BUDGET} timers per extension`,
      census?.timersPerExtension,
      'timers',
      TIMERS_PER_EXTENSION_BUDGET,
      census === undefined
        ? ''
        : `${census.timersWithOne} armed with 1 running, ${census.timersWithAll} with ${n}; ${census.callbacks.Timeout ?? 0} timer callbacks in the idle window`,
    ),
    check(
      `${n} idle: host memory ≤ ${MEMORY_PER_EXTENSION_BUDGET_KB} KB per extension`,
      memory?.median,
      'KB',
      MEMORY_PER_EXTENSION_BUDGET_KB,
      'heap + external after GC, N running idle minus before the manager was created, ÷ N; median over runs',
    ),
  ];
}

function percent(sample: HostCpuSample): number {
  return (sample.hostCpuMs / sample.windowMs) * 100;
}

function perSecond(sample: IdleSample, amount: number | undefined): number | undefined {
  return amount === undefined ? undefined : amount / (sample.windowMs / 1000);
}

function cellOf(values: readonly (number | undefined)[]): ManagerCell | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (known.length === 0) return undefined;
  return { median: median(known), min: Math.min(...known), max: Math.max(...known), values: known };
}

/** The object without its undefined fields (exactOptionalPropertyTypes). */
function defined<T extends Record<string, ManagerCell | undefined>>(
  cells: T,
): { [K in keyof T]?: ManagerCell } {
  return Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: ManagerCell;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
