// What one approach of the lifecycle bench provides: start a fresh process and make one call, then stop it.
import type { ChildBundles } from './bundle-children.js';
import type { LifecycleMetricId } from './lifecycle-metrics.js';

/** A started process whose first call has returned. */
export interface LiveChild {
  readonly pid: number;
  /** Start requested → first call returned, ms. */
  readonly startMs: number;
  /** Where the approach can tell: ms from the start request to the end of each phase, in order. */
  readonly phases: Readonly<Record<string, number>>;
  /** Asks the process to stop (the approach's own way) and resolves once its exit was observed. */
  stop(): Promise<void>;
}

export interface LifecycleApproach {
  readonly id: string;
  readonly label: string;
  /**
   * `baseline`: bare node, no call; `floor`: no library; `peer`: RPC libraries Tether is compared with;
   * `variant`: Tether laid out differently (shown for what it explains, in no ratio).
   */
  readonly kind: 'tether' | 'variant' | 'baseline' | 'floor' | 'peer';
  /** How `stop()` stops it, for the report. */
  readonly stopHow: string;
  /** Metrics that do not apply, and why. */
  readonly notApplicable?: Partial<Record<LifecycleMetricId, string>>;
  start(bundles: ChildBundles): Promise<LiveChild>;
}
