// The manager bench (issue 11): N extensions started at once against N bare node processes (the ratio within
// each round), then the idle host with N running and nobody watching: its CPU, its timers, its memory per
// extension, each against the budget. `runManagerBench` is what `bench/run.ts` and
// `bench/manager/run.ts` call.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_STOP_GRACE_MS } from '../../extension-host/src/constants.js';
import { procUnavailable } from '../lifecycle/proc-stats.js';
import { BARE_NODE_READY } from './bare-node-group.js';
import { layOutExtensionFolders } from './extension-folders.js';
import { readHostMemory } from './host-memory.js';
import { FULL_MANAGER, QUICK_MANAGER } from './manager-config.js';
import { summariseManager, type ManagerRaw, type ManagerResult } from './manager-summary.js';
import {
  createBenchManager,
  measureHostCpu,
  measureIdle,
  startRound,
  stopAll,
  takeTimerCensus,
} from './measure-manager.js';

export type { ManagerResult } from './manager-summary.js';
export { renderManagerMarkdown, renderManagerTable } from './manager-render.js';

export interface ManagerBenchOptions {
  readonly quick: boolean;
  readonly runs: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

export async function runManagerBench(options: ManagerBenchOptions): Promise<ManagerResult> {
  const began = performance.now();
  const config = options.quick ? QUICK_MANAGER : FULL_MANAGER;
  const log = options.log ?? (() => {});
  const withProc = procUnavailable() === undefined;
  const loadBefore = loadavg()[0]!;
  const folders = await layOutExtensionFolders(config.extensions);
  const { ids } = folders;
  const raw: ManagerRaw = { rounds: [], idle: [], census: undefined, failures: [] };
  const fail = (where: string, error: unknown): void => {
    raw.failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  };
  try {
    // Untimed: one start and stop of all N on a manager thrown away, so that the host's code for starting
    // extensions (several MB compiled once) is not counted as memory of the first run's extensions.
    const warmUp = await createBenchManager(folders);
    try {
      await startRound(warmUp, ids, true);
    } finally {
      await warmUp.dispose();
    }
    for (let run = 0; run < options.runs; run++) {
      // A stopped PluginClient stays reachable from its stop-grace timer for the whole grace even when its
      // plugin exited at once: let the last ones go before reading the baseline.
      await sleep(DEFAULT_STOP_GRACE_MS + 200);
      // A fresh manager per run, its memory read before it exists and once it has discovered the N.
      const beforeCreate = await readHostMemory();
      const manager = await createBenchManager(folders);
      try {
        const created = await readHostMemory();
        const stopped = await measureHostCpu(config.settleMs, config.windowMs);
        const rounds: ManagerRaw['rounds'][number] = [];
        for (let round = 0; round < config.rounds; round++) {
          // The last round starts the bare nodes first, so the extensions are left running for the idle part.
          const bareFirst = (config.rounds - 1 - round) % 2 === 0;
          rounds.push(await startRound(manager, ids, bareFirst));
          if (round < config.rounds - 1 && bareFirst) await stopAll(manager, ids);
        }
        raw.rounds.push(rounds);
        log(`run ${run + 1}/${options.runs}: ${config.rounds} start round(s) of ${ids.length} done`);
        const idle = await measureIdle(manager, config.settleMs, config.windowMs, withProc);
        raw.idle.push({ ...idle, beforeCreate, created, stopped });
        log(`run ${run + 1}/${options.runs}: idle done`);
      } catch (error) {
        fail(`run ${run + 1}`, error);
      } finally {
        await manager.dispose();
      }
    }
    try {
      raw.census = await takeTimerCensus(folders, config.settleMs, config.windowMs);
      log('timer census done');
    } catch (error) {
      fail('timer census', error);
    }
  } finally {
    await folders.dispose();
  }
  return summariseManager({
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
    raw,
    bundleBytes: folders.bundleBytes,
    bareReady: BARE_NODE_READY,
    elapsedS: (performance.now() - began) / 1000,
  });
}
