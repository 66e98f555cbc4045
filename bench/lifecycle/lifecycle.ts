// The lifecycle bench (issue 5, workloads 6–7): start → first call and stop time on fresh processes, idle
// memory of one process and of a group, host and children's CPU while the group idles. Every approach,
// interleaved within each run; `runLifecycle` is what `bench/run.ts` and `bench/lifecycle/run.ts` call.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { LIFECYCLE_APPROACHES } from './approaches/index.js';
import { bundleChildren } from './bundle-children.js';
import { FULL_LIFECYCLE, QUICK_LIFECYCLE } from './lifecycle-config.js';
import type { LifecycleApproach } from './lifecycle-approach.js';
import { summariseLifecycle, type LifecycleRaw, type LifecycleResult } from './lifecycle-summary.js';
import { measureGroup, measureIdleOne, sampleStartStop } from './measure.js';
import { procUnavailable } from './proc-stats.js';

export type { LifecycleResult } from './lifecycle-summary.js';
export { FULL_LIFECYCLE, QUICK_LIFECYCLE, type LifecycleConfig } from './lifecycle-config.js';
export { renderLifecycleMarkdown, renderLifecycleTable } from './lifecycle-render.js';

export interface LifecycleOptions {
  readonly quick: boolean;
  readonly runs: number;
  /** Which approaches (default: all); Tether, bare node and the raw Unix floor are needed for the targets. */
  readonly approaches?: readonly LifecycleApproach[];
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

export async function runLifecycle(options: LifecycleOptions): Promise<LifecycleResult> {
  const began = performance.now();
  const config = options.quick ? QUICK_LIFECYCLE : FULL_LIFECYCLE;
  const approaches = options.approaches ?? LIFECYCLE_APPROACHES;
  const log = options.log ?? (() => {});
  const noProc = procUnavailable();
  // Other work on the machine skews start times most: the load average goes into the result.
  const loadBefore = loadavg()[0]!;
  const bundles = await bundleChildren();
  const raw: LifecycleRaw = { startStop: {}, idleOne: {}, group: {}, failures: [] };
  const fail = (where: string, error: unknown): void => {
    raw.failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  };
  try {
    for (let run = 0; run < options.runs; run++) {
      // Start/stop samples interleave the approaches, so slow drift of the machine spreads over all.
      const samples: Record<string, LifecycleRaw['startStop'][string][number]> = {};
      for (let i = 0; i < config.warmUpSamples + config.samples; i++) {
        for (const approach of approaches) {
          const sample = await sampleStartStop(approach, bundles).catch((error: unknown) => {
            fail(`${approach.id} start/stop (run ${run + 1})`, error);
            return undefined;
          });
          if (sample !== undefined && i >= config.warmUpSamples) (samples[approach.id] ??= []).push(sample);
        }
      }
      for (const approach of approaches) (raw.startStop[approach.id] ??= []).push(samples[approach.id] ?? []);
      log(`run ${run + 1}/${options.runs}: start/stop done`);
      if (noProc !== undefined) continue;

      const idle = approaches.filter((a) => a.notApplicable?.idleRssMB === undefined);
      for (const [id, sample] of await measureIdleOne(idle, bundles, config.idleOneMs)) {
        if (sample instanceof Error) fail(`${id} idle (run ${run + 1})`, sample);
        else (raw.idleOne[id] ??= []).push(sample);
      }
      log(`run ${run + 1}/${options.runs}: idle memory done`);

      for (const approach of approaches.filter((a) => a.notApplicable?.groupRssMB === undefined)) {
        const group = await measureGroup(
          approach,
          bundles,
          config.groupSize,
          config.settleMs,
          config.windowMs,
        ).catch((error: unknown) => {
          fail(`${approach.id} group of ${config.groupSize} (run ${run + 1})`, error);
          return undefined;
        });
        if (group !== undefined) (raw.group[approach.id] ??= []).push(group);
      }
      log(`run ${run + 1}/${options.runs}: group of ${config.groupSize} done`);
    }
  } finally {
    await bundles.dispose();
  }
  return summariseLifecycle({
    mode: options.quick ? 'quick' : 'full',
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      date: new Date().toISOString(),
      load: `1-min load average ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
    },
    runs: options.runs,
    config,
    approaches,
    raw,
    noProc,
    bundling: {
      elapsedMs: bundles.elapsedMs,
      bytes: bundles.bundleBytes,
      unbundledSdkFiles: bundles.unbundledSdkFiles,
    },
    elapsedS: (performance.now() - began) / 1000,
  });
}
