// The metrics of the lifecycle bench (issue 5, workloads 6 and 7). All are "lower is better".

export type LifecycleMetricId =
  | 'startMs'
  | 'stopMs'
  | 'idleRssMB'
  | 'idlePssMB'
  | 'groupRssMB'
  | 'groupPssMB'
  | 'groupHostCpu'
  | 'groupChildCpuStat'
  | 'groupChildCpuRun'
  | 'groupChildWakeups';

export interface LifecycleMetric {
  readonly id: LifecycleMetricId;
  readonly label: string;
  readonly unit: string;
  /** Tether over the floor and the best peer means something (not for near-zero idle CPU figures). */
  readonly ratios: boolean;
}

export const LIFECYCLE_METRICS: readonly LifecycleMetric[] = [
  { id: 'startMs', label: 'start → first call', unit: 'ms', ratios: true },
  { id: 'stopMs', label: 'stop → exit observed', unit: 'ms', ratios: true },
  { id: 'idleRssMB', label: 'idle RSS, one', unit: 'MB', ratios: true },
  { id: 'idlePssMB', label: 'idle PSS, one', unit: 'MB', ratios: true },
  { id: 'groupRssMB', label: 'idle RSS, group sum', unit: 'MB', ratios: true },
  { id: 'groupPssMB', label: 'idle PSS, group sum', unit: 'MB', ratios: true },
  { id: 'groupHostCpu', label: 'host CPU, group idle', unit: 'ms/s', ratios: false },
  { id: 'groupChildCpuStat', label: 'children CPU (utime+stime)', unit: 'ms/s', ratios: false },
  { id: 'groupChildCpuRun', label: 'children CPU (schedstat)', unit: 'ms/s', ratios: false },
  { id: 'groupChildWakeups', label: 'children wake-ups', unit: '/s', ratios: false },
];

/** Bytes to MB (10^6 bytes, as the targets and the main bench count). */
export const toMB = (bytes: number): number => bytes / 1e6;
