import type { Disposable } from '@tether/sdk';
import { usageOfProcessGroups, type ProcessGroupUsage } from '../process/process-group-usage.js';

/** Resource figures of one extension at one moment (plain data, for UIs). */
export interface ExtensionStats {
  readonly id: string;
  readonly time: number;
  /** Its process, when running. */
  readonly pid?: number;
  /** CPU used by its process group since the previous sample, % of one core; absent on the first sample. */
  readonly cpuPercent?: number;
  /** Resident memory of its process group, bytes (Linux). */
  readonly rssBytes?: number;
  /** Processes in its group (the plugin and whatever it started). */
  readonly processes?: number;
  /** Calls made to it through the manager since the previous sample, per second. */
  readonly callsPerSecond?: number;
  /** Calls and failed calls through the manager since the manager started. */
  readonly calls: number;
  readonly callErrors: number;
}

/** What the monitor reads from each extension. */
export interface StatsSource {
  readonly id: string;
  readonly pid: number | undefined;
  readonly calls: number;
  readonly callErrors: number;
}

export type StatsListener = (stats: readonly ExtensionStats[]) => void;

interface Previous {
  readonly time: number;
  readonly pid: number | undefined;
  readonly cpuTimeMs: number | undefined;
  readonly calls: number;
}

/**
 * Samples CPU %, memory and call rates of the extensions, but only while someone watches: the first
 * `watch()` starts one timer for the whole manager, the last dispose stops it, so a manager nobody looks at
 * costs nothing. `sample()` also works unwatched (CPU % then compares with the previous sample, if any).
 */
export class StatsMonitor implements Disposable {
  readonly #sources: () => readonly StatsSource[];
  readonly #intervalMs: number;
  readonly #listeners = new Set<StatsListener>();
  #previous = new Map<string, Previous>();
  #timer: NodeJS.Timeout | undefined;
  #sampling = false;

  constructor(sources: () => readonly StatsSource[], intervalMs: number) {
    this.#sources = sources;
    this.#intervalMs = intervalMs;
  }

  /** Whether anyone watches (the sampling timer runs). */
  get watching(): boolean {
    return this.#timer !== undefined;
  }

  /** One sample now. */
  async sample(): Promise<ExtensionStats[]> {
    const sources = this.#sources();
    const groups = new Set<number>();
    for (const source of sources) if (source.pid !== undefined) groups.add(source.pid);
    const usage = await usageOfProcessGroups(groups);
    const time = Date.now();
    const next = new Map<string, Previous>();
    const stats = sources.map((source) => {
      const group: ProcessGroupUsage | undefined =
        source.pid === undefined ? undefined : usage.get(source.pid);
      const previous = this.#previous.get(source.id);
      const elapsed = previous === undefined ? 0 : time - previous.time;
      const samePid = previous !== undefined && previous.pid === source.pid;
      next.set(source.id, { time, pid: source.pid, cpuTimeMs: group?.cpuTimeMs, calls: source.calls });
      return {
        id: source.id,
        time,
        ...(source.pid === undefined ? {} : { pid: source.pid }),
        ...(group === undefined
          ? {}
          : {
              rssBytes: group.rssBytes,
              processes: group.processes,
              ...(samePid && previous.cpuTimeMs !== undefined && elapsed > 0
                ? { cpuPercent: Math.max(0, ((group.cpuTimeMs - previous.cpuTimeMs) / elapsed) * 100) }
                : {}),
            }),
        ...(previous !== undefined && elapsed > 0
          ? { callsPerSecond: ((source.calls - previous.calls) * 1000) / elapsed }
          : {}),
        calls: source.calls,
        callErrors: source.callErrors,
      };
    });
    this.#previous = next;
    return stats;
  }

  /** Calls `listener` with every sample until disposed; the first sample comes at once. */
  watch(listener: StatsListener): Disposable {
    this.#listeners.add(listener);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
      this.#timer.unref();
    }
    this.#tick();
    return {
      dispose: () => {
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) this.#stopTimer();
      },
    };
  }

  #tick(): void {
    if (this.#sampling) return;
    this.#sampling = true;
    this.sample().then(
      (stats) => {
        this.#sampling = false;
        for (const listener of [...this.#listeners]) {
          try {
            listener(stats);
          } catch {
            // A failing watcher must not stop the others (nor the host).
          }
        }
      },
      () => {
        this.#sampling = false;
      },
    );
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  dispose(): void {
    this.#listeners.clear();
    this.#stopTimer();
  }
}
