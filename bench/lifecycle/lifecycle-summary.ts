// Turns the raw samples of the lifecycle bench into cells (median over runs, min–max), ratios of Tether to
// bare node, the raw floor and the best peer, and the two targets.
import type { LifecycleApproach } from './lifecycle-approach.js';
import {
  LIFECYCLE_METRICS,
  toMB,
  type LifecycleMetric,
  type LifecycleMetricId,
} from './lifecycle-metrics.js';
import type { LifecycleConfig } from './lifecycle-config.js';
import type { GroupSample, StartStopSample } from './measure.js';
import type { MemorySample } from './proc-stats.js';

/** Everything measured, per approach id, per run. */
export interface LifecycleRaw {
  readonly startStop: Record<string, StartStopSample[][]>;
  readonly idleOne: Record<string, MemorySample[]>;
  readonly group: Record<string, GroupSample[]>;
  readonly failures: string[];
}

export type LifecycleCell =
  | {
      /** Median over runs of each run's value (a run's start/stop value is the median of its samples). */
      readonly median: number;
      readonly min: number;
      readonly max: number;
      /** One value per run. */
      readonly runs: readonly number[];
      /** Start/stop only: every sample of every run, and their min–max. */
      readonly samples?: readonly number[];
    }
  | { readonly unsupported: string };

export interface LifecycleRatio {
  /** Tether over `node -e 0` (start only). */
  readonly vsBareNode?: number;
  /** Tether over the raw Unix floor. */
  readonly vsFloor?: number;
  readonly vsBestPeer?: number;
  readonly bestPeer?: string;
}

export interface LifecycleTarget {
  readonly target: string;
  /** Tether minus its baseline (ms or MB); NaN when a side is missing (see `reason`). */
  readonly value: number;
  readonly unit: string;
  readonly limit: number;
  readonly met: boolean;
  /** How the value was formed, or why there is none. */
  readonly detail: string;
}

export interface LifecycleResult {
  readonly mode: 'quick' | 'full';
  readonly machine: Record<string, string | number>;
  readonly runs: number;
  readonly config: LifecycleConfig;
  readonly elapsedS: number;
  readonly bundling: {
    readonly elapsedMs: number;
    readonly bytes: Readonly<Record<string, number>>;
    readonly unbundledSdkFiles: number;
  };
  readonly approaches: readonly {
    id: string;
    label: string;
    kind: LifecycleApproach['kind'];
    stopHow: string;
  }[];
  readonly metrics: readonly LifecycleMetric[];
  /** results[approach][metric] */
  readonly results: Record<string, Record<string, LifecycleCell>>;
  /** phases[approach][phase]: ms from the start request to the end of that phase. */
  readonly phases: Record<string, Record<string, LifecycleCell>>;
  /** ratios[metric] (metrics with `ratios` only). */
  readonly ratios: Record<string, LifecycleRatio>;
  readonly targets: readonly LifecycleTarget[];
  /** Every sample or measurement that failed, with its error. */
  readonly failures: readonly string[];
}

export interface LifecycleSummaryInput {
  readonly mode: 'quick' | 'full';
  readonly machine: Record<string, string | number>;
  readonly runs: number;
  readonly config: LifecycleConfig;
  readonly approaches: readonly LifecycleApproach[];
  readonly raw: LifecycleRaw;
  /** Why /proc could not be read (memory and CPU cells then say so). */
  readonly noProc: string | undefined;
  readonly bundling: LifecycleResult['bundling'];
  readonly elapsedS: number;
}

const BARE_NODE = 'bare-node';
const FLOOR = 'raw-unix';
export const START_TARGET_MS = 15;
export const IDLE_RSS_TARGET_MB = 5;

/** Per-run values of each metric that comes from the group or idle measurements. */
function perRunValues(raw: LifecycleRaw, id: string, metric: LifecycleMetricId): (number | undefined)[] {
  const idle = raw.idleOne[id] ?? [];
  const group = raw.group[id] ?? [];
  const perSecond = (g: GroupSample, amount: number | undefined): number | undefined =>
    amount === undefined ? undefined : amount / (g.windowMs / 1000);
  switch (metric) {
    case 'idleRssMB':
      return idle.map((m) => toMB(m.rssBytes));
    case 'idlePssMB':
      return idle.map((m) => (m.pssBytes === undefined ? undefined : toMB(m.pssBytes)));
    case 'groupRssMB':
      return group.map((g) => toMB(g.rssBytes));
    case 'groupPssMB':
      return group.map((g) => (g.pssBytes === undefined ? undefined : toMB(g.pssBytes)));
    case 'groupHostCpu':
      return group.map((g) => perSecond(g, g.hostCpuMs));
    case 'groupChildCpuStat':
      return group.map((g) => perSecond(g, g.childStatMs));
    case 'groupChildCpuRun':
      return group.map((g) => perSecond(g, g.childRunMs));
    case 'groupChildWakeups':
      return group.map((g) => perSecond(g, g.childSlices));
    default:
      return [];
  }
}

function cellOf(
  values: readonly (number | undefined)[],
  samples?: readonly number[],
): LifecycleCell | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (known.length === 0) return undefined;
  return {
    median: median(known),
    min: Math.min(...known),
    max: Math.max(...known),
    runs: known,
    ...(samples === undefined ? {} : { samples }),
  };
}

export function summariseLifecycle(input: LifecycleSummaryInput): LifecycleResult {
  const { raw } = input;
  const results: LifecycleResult['results'] = {};
  const phases: LifecycleResult['phases'] = {};
  for (const approach of input.approaches) {
    const cells: Record<string, LifecycleCell> = (results[approach.id] = {});
    const runs = raw.startStop[approach.id] ?? [];
    for (const metric of LIFECYCLE_METRICS) {
      const reason = approach.notApplicable?.[metric.id];
      if (reason !== undefined) {
        cells[metric.id] = { unsupported: reason };
        continue;
      }
      let cell: LifecycleCell | undefined;
      if (metric.id === 'startMs' || metric.id === 'stopMs') {
        const pick = (s: StartStopSample): number | undefined =>
          metric.id === 'startMs' ? s.startMs : s.stopMs;
        const perRun = runs.map((samples) => {
          const values = samples.map(pick).filter((v): v is number => v !== undefined);
          return values.length === 0 ? undefined : median(values);
        });
        cell = cellOf(
          perRun,
          runs
            .flat()
            .map(pick)
            .filter((v): v is number => v !== undefined),
        );
      } else if (input.noProc !== undefined) {
        cell = { unsupported: input.noProc };
      } else {
        cell = cellOf(perRunValues(raw, approach.id, metric.id));
        if (cell === undefined && (metric.id === 'idlePssMB' || metric.id === 'groupPssMB'))
          cell = { unsupported: '/proc/<pid>/smaps_rollup is not readable here' };
        if (cell === undefined && (metric.id === 'groupChildCpuRun' || metric.id === 'groupChildWakeups'))
          cell = { unsupported: '/proc/<pid>/task/<tid>/schedstat is not readable here' };
      }
      cells[metric.id] = cell ?? { unsupported: 'no result: every attempt failed (see failures)' };
    }
    const phaseNames = [...new Set(runs.flat().flatMap((s) => Object.keys(s.phases)))];
    if (phaseNames.length > 0) {
      const byPhase: Record<string, LifecycleCell> = (phases[approach.id] = {});
      for (const phase of phaseNames) {
        const perRun = runs.map((samples) => {
          const values = samples.map((s) => s.phases[phase]).filter((v): v is number => v !== undefined);
          return values.length === 0 ? undefined : median(values);
        });
        const cell = cellOf(perRun);
        if (cell !== undefined) byPhase[phase] = cell;
      }
    }
  }

  const value = (id: string, metric: LifecycleMetricId): number | undefined => {
    const cell = results[id]?.[metric];
    return cell !== undefined && 'median' in cell ? cell.median : undefined;
  };
  const ratios: LifecycleResult['ratios'] = {};
  for (const metric of LIFECYCLE_METRICS.filter((m) => m.ratios)) {
    const mine = value('tether', metric.id);
    if (mine === undefined) continue;
    const bare = value(BARE_NODE, metric.id);
    const floor = value(FLOOR, metric.id);
    let best: { id: string; v: number } | undefined;
    for (const approach of input.approaches) {
      const v = value(approach.id, metric.id);
      if (approach.kind === 'peer' && v !== undefined && (best === undefined || v < best.v))
        best = { id: approach.id, v };
    }
    ratios[metric.id] = {
      ...(bare !== undefined ? { vsBareNode: mine / bare } : {}),
      ...(floor !== undefined ? { vsFloor: mine / floor } : {}),
      ...(best !== undefined ? { vsBestPeer: mine / best.v, bestPeer: best.id } : {}),
    };
  }

  return {
    mode: input.mode,
    machine: input.machine,
    runs: input.runs,
    config: input.config,
    elapsedS: input.elapsedS,
    bundling: input.bundling,
    approaches: input.approaches.map(({ id, label, kind, stopHow }) => ({ id, label, kind, stopHow })),
    metrics: LIFECYCLE_METRICS,
    results,
    phases,
    ratios,
    targets: targets(value),
    failures: raw.failures,
  };
}

function targets(value: (id: string, metric: LifecycleMetricId) => number | undefined): LifecycleTarget[] {
  const check = (
    target: string,
    unit: string,
    limit: number,
    mine: number | undefined,
    base: number | undefined,
    baseName: string,
    extra = '',
  ): LifecycleTarget => {
    if (mine === undefined || base === undefined)
      return {
        target,
        value: Number.NaN,
        unit,
        limit,
        met: false,
        detail: `not measured: ${mine === undefined ? 'Tether' : baseName} has no value (see failures)`,
      };
    const over = mine - base;
    return {
      target,
      value: over,
      unit,
      limit,
      met: over <= limit,
      detail: `Tether ${mine.toFixed(1)} ${unit} − ${baseName} ${base.toFixed(1)} ${unit}${extra}`,
    };
  };
  const start = value('tether', 'startMs');
  const floorStart = value(FLOOR, 'startMs');
  return [
    check(
      `start → first call ≤ bare node + ${START_TARGET_MS} ms`,
      'ms',
      START_TARGET_MS,
      start,
      value(BARE_NODE, 'startMs'),
      '`node -e 0`',
      start !== undefined && floorStart !== undefined
        ? `; against the raw floor (node + socket + one ping) the excess is ${(start - floorStart).toFixed(1)} ms`
        : '',
    ),
    check(
      `idle RSS ≤ bare node + ${IDLE_RSS_TARGET_MB} MB`,
      'MB',
      IDLE_RSS_TARGET_MB,
      value('tether', 'idleRssMB'),
      value(FLOOR, 'idleRssMB'),
      'idle node with a connected socket (raw floor)',
    ),
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
