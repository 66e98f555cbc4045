// How much the lifecycle bench measures: full (the numbers) and quick (its shape in ~8 s).

export interface LifecycleConfig {
  /** Start → first call → stop samples per approach per run, each a fresh process. */
  readonly samples: number;
  /** Untimed samples per approach before each run's timed ones (page cache, the host's lazy code). */
  readonly warmUpSamples: number;
  /** Idle time after the last first call before one process's memory is read, ms. */
  readonly idleOneMs: number;
  /** Processes per approach in the group measurement (the 20). */
  readonly groupSize: number;
  /** Wait after the group has started before its idle window, ms. */
  readonly settleMs: number;
  /** The idle window over which CPU is measured, ms. */
  readonly windowMs: number;
}

export const FULL_LIFECYCLE: LifecycleConfig = {
  samples: 12,
  warmUpSamples: 1,
  idleOneMs: 1000,
  groupSize: 20,
  settleMs: 500,
  windowMs: 3000,
};

/** Small enough for ~8 s on a 2-core machine: the shape of the full run, not its precision. */
export const QUICK_LIFECYCLE: LifecycleConfig = {
  samples: 3,
  warmUpSamples: 0,
  idleOneMs: 300,
  groupSize: 4,
  settleMs: 100,
  windowMs: 300,
};
