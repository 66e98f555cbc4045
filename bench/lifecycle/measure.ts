// The three measurements of the lifecycle bench, each on fresh processes: one start → first call → stop;
// one idle process's memory; a group of idle processes' memory and CPU (host and children).
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { ChildBundles } from './bundle-children.js';
import type { LifecycleApproach, LiveChild } from './lifecycle-approach.js';
import { readCpu, readMemory, type CpuSample, type MemorySample } from './proc-stats.js';

export interface StartStopSample {
  readonly startMs: number;
  /** Absent where the approach cannot be stopped (bare node exits by itself). */
  readonly stopMs?: number;
  readonly phases: Readonly<Record<string, number>>;
}

export async function sampleStartStop(
  approach: LifecycleApproach,
  bundles: ChildBundles,
): Promise<StartStopSample> {
  const live = await approach.start(bundles);
  if (approach.notApplicable?.stopMs !== undefined) return { startMs: live.startMs, phases: live.phases };
  const began = performance.now();
  await live.stop();
  return { startMs: live.startMs, stopMs: performance.now() - began, phases: live.phases };
}

/**
 * Starts one process of each approach (one after the other), lets them all idle `idleMs` after the last
 * first call, reads each one's memory, stops them. A failure is that approach's, not the others'.
 */
export async function measureIdleOne(
  approaches: readonly LifecycleApproach[],
  bundles: ChildBundles,
  idleMs: number,
): Promise<Map<string, MemorySample | Error>> {
  const live = new Map<string, LiveChild | Error>();
  for (const approach of approaches) live.set(approach.id, await approach.start(bundles).catch(asError));
  await sleep(idleMs);
  const result = new Map<string, MemorySample | Error>();
  for (const [id, child] of live) {
    result.set(id, child instanceof Error ? child : tryRead(() => readMemory(child.pid)));
  }
  const running = [...live.values()].filter((child): child is LiveChild => !(child instanceof Error));
  await Promise.allSettled(running.map((child) => child.stop()));
  return result;
}

export interface GroupSample {
  readonly count: number;
  readonly windowMs: number;
  readonly rssBytes: number;
  /** Undefined when any process's PSS was unreadable. */
  readonly pssBytes: number | undefined;
  /** The host's user + system CPU over the window (process.cpuUsage), ms. */
  readonly hostCpuMs: number;
  /** The children's utime + stime over the window, summed, ms. */
  readonly childStatMs: number;
  /** The children's schedstat run time over the window, summed, ms (undefined without schedstat). */
  readonly childRunMs: number | undefined;
  /** Times the children's threads were scheduled in over the window, summed. */
  readonly childSlices: number | undefined;
}

/**
 * Starts `count` processes of one approach at once, waits `settleMs` for start-up work to end, then
 * measures an idle window of `windowMs`: host CPU, children's CPU and wake-ups; then memory; then stops all.
 */
export async function measureGroup(
  approach: LifecycleApproach,
  bundles: ChildBundles,
  count: number,
  settleMs: number,
  windowMs: number,
): Promise<GroupSample> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => approach.start(bundles)));
  const live = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw asError(failed.reason);
    await sleep(settleMs);
    const pids = live.map((child) => child.pid);
    const hostBefore = process.cpuUsage();
    const childrenBefore = pids.map(readCpu);
    const began = performance.now();
    await sleep(windowMs);
    const host = process.cpuUsage(hostBefore);
    const childrenAfter = pids.map(readCpu);
    const elapsed = performance.now() - began;
    const memory = pids.map(readMemory);
    const delta = (pick: (sample: CpuSample) => number | undefined): number | undefined => {
      let sum = 0;
      for (let i = 0; i < pids.length; i++) {
        const before = pick(childrenBefore[i]!);
        const after = pick(childrenAfter[i]!);
        if (before === undefined || after === undefined) return undefined;
        sum += after - before;
      }
      return sum;
    };
    return {
      count,
      windowMs: elapsed,
      rssBytes: memory.reduce((sum, m) => sum + m.rssBytes, 0),
      pssBytes: memory.every((m) => m.pssBytes !== undefined)
        ? memory.reduce((sum, m) => sum + m.pssBytes!, 0)
        : undefined,
      hostCpuMs: (host.user + host.system) / 1000,
      childStatMs: delta((s) => s.statMs)!,
      childRunMs: delta((s) => s.runMs),
      childSlices: delta((s) => s.slices),
    };
  } finally {
    await Promise.all(live.map((child) => child.stop().catch(() => undefined)));
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function tryRead<T>(read: () => T): T | Error {
  try {
    return read();
  } catch (error) {
    return asError(error);
  }
}
