// How much the manager bench measures: full (the 50 extensions) and quick (its shape in a few s).

export interface ManagerBenchConfig {
  /** Extensions installed, started at once and left idle (the 50). */
  readonly extensions: number;
  /** Start rounds per run: N bare node processes and N extensions each, the ratio taken within the round. */
  readonly rounds: number;
  /** Wait after the last extension runs before the idle window (start-up work ends), ms. */
  readonly settleMs: number;
  /** The idle window over which CPU and callbacks are counted, ms. */
  readonly windowMs: number;
}

export const FULL_MANAGER: ManagerBenchConfig = {
  extensions: 50,
  rounds: 2,
  settleMs: 1000,
  windowMs: 3000,
};

/** Small enough for a few seconds on a 2-core machine: the shape of the full run, not its precision. */
export const QUICK_MANAGER: ManagerBenchConfig = {
  extensions: 10,
  rounds: 1,
  settleMs: 100,
  windowMs: 300,
};
