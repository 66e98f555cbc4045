/**
 * What keeps a plugin's processes from outliving the plugin or the host, by level (docs/security.md, "Host
 * death and process containment"):
 *
 * - `process`: only the plugin process itself is signalled (Windows, which has no process groups).
 * - `process-group`: the plugin leads a process group of its own; stopping it, its exit and the host's
 *   death SIGKILL the whole group. Misses what left the group (`setsid()`, a daemon's double fork).
 * - `cgroup`: the group, and also a cgroup v2 of its own (Linux, where the host may create one): everything
 *   the plugin started, however it left the group, is killed with it.
 *
 * The host's death is covered at every level but `process` by the host-death watchdog (one per host) and,
 * for plugins that use the SDK, by the plugin itself (it SIGKILLs its group when its host is gone).
 */
import { toDisposable, type Disposable } from '@tether/sdk';
import { ownCgroupDir } from './cgroup-v2.js';
import { HostDeathWatchdog } from './host-death-watchdog.js';
import { HostCgroup, type PluginCgroup } from './plugin-cgroups.js';

/** How far a plugin's processes are contained (see the module comment). */
export type ContainmentLevel = 'cgroup' | 'process-group' | 'process';

/**
 * The containment a runner asks for: `auto` uses a cgroup per plugin where the host can create one and
 * falls back to the process group otherwise; `process-group` never creates a cgroup.
 */
export type ContainmentMode = 'auto' | 'process-group';

export interface ContainmentOptions {
  readonly mode: ContainmentMode;
  /** Whether the host-death watchdog guards the plugin (off: only a plugin using the SDK cleans up). */
  readonly hostDeathWatchdog: boolean;
}

/** What contains one plugin process and everything it starts. */
export interface PluginContainment {
  readonly level: ContainmentLevel;
  /**
   * The plugin's exit was observed (its group was just SIGKILLed): kills what is left in its cgroup and
   * removes it once empty, and has the watchdog forget its group — in the same tick, before the group's id
   * can be reused. Idempotent.
   */
  release(): void;
  /** The host is exiting with the plugin still running: kills its cgroup now (the caller kills the group). */
  kill(): void;
}

/** Nothing beyond the process itself (Windows; runners that do not spawn processes themselves). */
export const UNCONTAINED: PluginContainment = { level: 'process', release() {}, kill() {} };

let hostCgroup: HostCgroup | undefined | null = null;
let watchdog: HostDeathWatchdog | undefined;

/** The host's directory of plugin cgroups, created on first use; undefined where it cannot be. */
function sharedHostCgroup(): HostCgroup | undefined {
  if (hostCgroup === null) hostCgroup = HostCgroup.create(ownCgroupDir());
  return hostCgroup;
}

/** The host's one watchdog, created on first use (its process starts with the first group it guards). */
export function sharedWatchdog(): HostDeathWatchdog {
  watchdog ??= new HostDeathWatchdog();
  return watchdog;
}

/**
 * The level of containment a plugin started now with `mode` would get on this host: `cgroup` when the host
 * may create cgroups (it then creates its directory of plugin cgroups), else `process-group`; `process` on
 * Windows.
 */
export function containmentLevel(mode: ContainmentMode = 'auto'): ContainmentLevel {
  if (process.platform === 'win32') return 'process';
  return mode === 'auto' && sharedHostCgroup() !== undefined ? 'cgroup' : 'process-group';
}

/**
 * Contains the process `pid`, just spawned as the leader of its own process group (`useGroup`; false on
 * Windows): moves it into a cgroup of its own when `options.mode` allows and the host can, and lists its
 * group with the host-death watchdog.
 */
export function containPlugin(
  pid: number,
  useGroup: boolean,
  options: ContainmentOptions,
): PluginContainment {
  if (!useGroup) return UNCONTAINED;
  const host = options.mode === 'auto' ? sharedHostCgroup() : undefined;
  const cgroup = host?.contain(pid);
  let watched: Disposable = toDisposable(() => {});
  if (options.hostDeathWatchdog) {
    const guard = sharedWatchdog();
    if (host !== undefined) guard.watchCgroups(host.dir);
    watched = guard.watch(pid);
  }
  return new ContainedPlugin(cgroup, watched);
}

class ContainedPlugin implements PluginContainment {
  readonly level: ContainmentLevel;
  readonly #cgroup: PluginCgroup | undefined;
  readonly #watched: Disposable;

  constructor(cgroup: PluginCgroup | undefined, watched: Disposable) {
    this.level = cgroup === undefined ? 'process-group' : 'cgroup';
    this.#cgroup = cgroup;
    this.#watched = watched;
  }

  release(): void {
    this.#watched.dispose();
    this.#cgroup?.release();
  }

  kill(): void {
    this.#cgroup?.kill();
  }
}
