// The measurements of the manager bench, on one ExtensionHostManager over the bench's extension folders:
// N extensions started at once (against N bare node processes in the same round), the idle host's CPU and
// memory with N running, and a census of the host's timers with 1 and with N running.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExtensionHostManager } from '@tether/extension-host';
import { readCpu } from '../lifecycle/proc-stats.js';
import { startBareNodes } from './bare-node-group.js';
import { managerBenchHandshake } from './children/contract.js';
import type { ExtensionFolders } from './extension-folders.js';
import { readHostMemory, type HostMemory } from './host-memory.js';
import { TimerCensus, activeResources } from './timer-census.js';

/** A manager as an app makes one: default options (electron-log files, folder watching), nothing watching stats. */
export function createBenchManager(folders: ExtensionFolders): Promise<ExtensionHostManager> {
  return ExtensionHostManager.create({
    app: { name: 'tether-manager-bench', handshake: managerBenchHandshake },
    extensionFolders: [folders.extensions],
    dataFolder: folders.data,
    // The bench reports how long starts take; the product's 10 s deadline must not fail it on a loaded
    // machine (npm run test:stress ran the quick mode's 10 at once past it once).
    startTimeoutMs: 60_000,
  });
}

export interface StartRound {
  /** N bare node processes spawned at once → the last one's byte read, ms. */
  readonly bareMs: number;
  /** `Promise.all(ids.map(id => manager.start(id)))` → resolved, every extension `running`, ms. */
  readonly managerMs: number;
  /** Each extension's `handshakeMs` from its snapshot (start requested → running), ms. */
  readonly handshakeMs: readonly number[];
  /** The host's own CPU (process.cpuUsage, every thread) while the N started, ms. */
  readonly hostCpuMs: number;
}

/** Starts every extension at once; resolves with the ms until all run. They are left running. */
export async function startAll(
  manager: ExtensionHostManager,
  ids: readonly string[],
): Promise<{ ms: number; handshakeMs: number[]; hostCpuMs: number }> {
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await Promise.all(ids.map((id) => manager.start(id)));
  const ms = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  const wanted = new Set(ids);
  const snapshots = manager.list().filter((s) => wanted.has(s.id));
  const notRunning = snapshots.filter((s) => s.state !== 'running');
  if (notRunning.length > 0)
    throw new Error(`after start: ${notRunning.map((s) => `${s.id} is ${s.state}`).join(', ')}`);
  return {
    ms,
    handshakeMs: snapshots.map((s) => s.handshakeMs ?? Number.NaN),
    hostCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

export async function stopAll(manager: ExtensionHostManager, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => manager.stop(id)));
}

/**
 * One round: N bare nodes and N extensions, one after the other, the ratio taken within the round. Which
 * goes first alternates (`bareFirst`), so neither always meets the other's aftermath; the extensions are
 * left running when the bare nodes went first, stopped otherwise.
 */
export async function startRound(
  manager: ExtensionHostManager,
  ids: readonly string[],
  bareFirst: boolean,
): Promise<StartRound> {
  if (bareFirst) {
    const bareMs = await startBareNodes(ids.length);
    const started = await startAll(manager, ids);
    return { bareMs, managerMs: started.ms, handshakeMs: started.handshakeMs, hostCpuMs: started.hostCpuMs };
  }
  const started = await startAll(manager, ids);
  await stopAll(manager, ids);
  const bareMs = await startBareNodes(ids.length);
  return { bareMs, managerMs: started.ms, handshakeMs: started.handshakeMs, hostCpuMs: started.hostCpuMs };
}

export interface HostCpuSample {
  readonly windowMs: number;
  /** The host's user + system CPU over the window (process.cpuUsage, every thread), ms. */
  readonly hostCpuMs: number;
}

/** The host's CPU over one window of `windowMs`, after `settleMs`. */
export async function measureHostCpu(settleMs: number, windowMs: number): Promise<HostCpuSample> {
  await sleep(settleMs);
  const before = process.cpuUsage();
  const began = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(before);
  return { windowMs: performance.now() - began, hostCpuMs: (used.user + used.system) / 1000 };
}

export interface IdleSample extends HostCpuSample {
  /** The extensions' processes' utime + stime over the window, summed, ms; undefined without /proc. */
  readonly childCpuMs: number | undefined;
  /** Times their threads were scheduled in over the window, summed; undefined without schedstat. */
  readonly childWakeups: number | undefined;
  /** The host with N running idle, after GC. */
  readonly running: HostMemory;
}

/** With every extension running and nobody watching stats: settle, one idle window, then memory. */
export async function measureIdle(
  manager: ExtensionHostManager,
  settleMs: number,
  windowMs: number,
  withProc: boolean,
): Promise<IdleSample> {
  await sleep(settleMs);
  const pids = manager.list().map((s) => s.pid!);
  const childrenBefore = withProc ? pids.map(readCpu) : undefined;
  const host = await measureHostCpu(0, windowMs);
  const childrenAfter = withProc ? pids.map(readCpu) : undefined;
  const sum = (field: 'statMs' | 'slices'): number | undefined => {
    let total = 0;
    for (let i = 0; i < pids.length; i++) {
      const before = childrenBefore?.[i]?.[field];
      const after = childrenAfter?.[i]?.[field];
      if (before === undefined || after === undefined) return undefined;
      total += after - before;
    }
    return total;
  };
  return {
    ...host,
    childCpuMs: sum('statMs'),
    childWakeups: sum('slices'),
    running: await readHostMemory(),
  };
}

export interface TimerCensusSample {
  /** Timers armed in the host (ref'd or not) with one extension running, and with all N. */
  readonly timersWithOne: number;
  readonly timersWithAll: number;
  /** Callbacks the host ran during the idle window with N running, by resource type. */
  readonly callbacks: Readonly<Record<string, number>>;
  /** Ref'd handles and requests (`process.getActiveResourcesInfo()`), with one running and with all N. */
  readonly resourcesWithOne: Readonly<Record<string, number>>;
  readonly resourcesWithAll: Readonly<Record<string, number>>;
}

/**
 * A fresh manager under the timer census: one extension started, then the other N − 1; what grows between
 * the two is per extension. Then one idle window counting the host's callbacks. Stops everything.
 */
export async function takeTimerCensus(
  folders: ExtensionFolders,
  settleMs: number,
  windowMs: number,
): Promise<TimerCensusSample> {
  const census = new TimerCensus();
  census.enable();
  let manager: ExtensionHostManager | undefined;
  try {
    manager = await createBenchManager(folders);
    const [first, ...rest] = folders.ids;
    await manager.start(first!);
    await sleep(settleMs);
    const timersWithOne = census.liveTimers;
    const resourcesWithOne = activeResources();
    await Promise.all(rest.map((id) => manager!.start(id)));
    await sleep(settleMs);
    const timersWithAll = census.liveTimers;
    const resourcesWithAll = activeResources();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, windowMs);
      census.markWindow([Number(timer)]);
    });
    const callbacks = census.endWindow();
    return { timersWithOne, timersWithAll, callbacks, resourcesWithOne, resourcesWithAll };
  } finally {
    census.disable();
    await manager?.dispose();
  }
}
