/**
 * A cgroup (v2, Linux) per plugin: the containment level that also catches processes that left the plugin's
 * process group (`setsid()`, a daemon's double fork). Membership of a cgroup is inherited by every process a
 * member starts and is not changed by `setsid`; `cgroup.kill` (Linux 5.14+) SIGKILLs every process of a
 * cgroup and of its descendants at once, and names no pid, so a reused pid is never signalled.
 *
 * The host creates `tether-<host pid>` inside its own cgroup, and in it one `plugin-<pid>` per plugin, into
 * which it moves the plugin right after spawning it. That needs write access to the host's own cgroup: root,
 * or a cgroup delegated to the user (a systemd user session's app scopes are). When any step fails the
 * plugin falls back to its process group alone, silently; `LaunchedPlugin.containment` says which it got.
 *
 * Not a security boundary: a plugin running as the same user may write its pid into another cgroup it can
 * write to (the host's own), and so leave; the cgroup catches processes that leave the group by accident or
 * habit, not on purpose.
 */
import { isProcessAlive } from '@tether/sdk/wire';
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import {
  CGROUP_REMOVE_POLL_MS,
  CGROUP_REMOVE_TIMEOUT_MS,
  HOST_CGROUP_PREFIX,
  PLUGIN_CGROUP_PREFIX,
} from '../constants.js';

/** The host's directory of plugin cgroups, `<host's cgroup>/tether-<host pid>`. */
export class HostCgroup {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Creates the host's directory inside `ownDir` (the host's own cgroup); undefined when there is none, it
   * cannot be created, or the kernel has no `cgroup.kill` (before 5.14). A directory left by an earlier
   * host with this pid is killed and reused.
   */
  static create(ownDir: string | undefined, hostPid: number = process.pid): HostCgroup | undefined {
    if (ownDir === undefined) return undefined;
    removeStaleHostCgroups(ownDir);
    const dir = `${ownDir}/${HOST_CGROUP_PREFIX}${hostPid}`;
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      // That host died without its watchdog removing it: what is still in it is its orphans.
      killCgroup(dir);
    }
    if (!existsSync(`${dir}/cgroup.kill`)) {
      removeCgroup(dir);
      return undefined;
    }
    return new HostCgroup(dir);
  }

  /**
   * Creates `plugin-<pid>` and moves the process `pid` into it. Undefined (and nothing left behind) when it
   * cannot: the process is gone, or the host may not move it.
   */
  contain(pid: number): PluginCgroup | undefined {
    const dir = `${this.dir}/${PLUGIN_CGROUP_PREFIX}${pid}`;
    try {
      mkdirSync(dir);
    } catch {
      // EEXIST would be an earlier plugin of the same pid whose cgroup is still being emptied: not ours.
      return undefined;
    }
    try {
      writeFileSync(`${dir}/cgroup.procs`, String(pid));
    } catch {
      removeCgroup(dir);
      return undefined;
    }
    return new PluginCgroup(dir);
  }

  /** SIGKILLs every process of every plugin cgroup of this host, at once. */
  kill(): void {
    killCgroup(this.dir);
  }
}

/** One plugin's cgroup. */
export class PluginCgroup {
  readonly dir: string;
  #released = false;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** SIGKILLs every process in it. */
  kill(): void {
    killCgroup(this.dir);
  }

  /**
   * The plugin has exited: SIGKILLs what is left in its cgroup and removes the cgroup once it is empty
   * (checked every {@link CGROUP_REMOVE_POLL_MS} on an unref'd timer, for up to
   * {@link CGROUP_REMOVE_TIMEOUT_MS}; the watchdog removes what is left when the host exits). Idempotent.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.kill();
    const deadline = Date.now() + CGROUP_REMOVE_TIMEOUT_MS;
    const attempt = (): void => {
      if (removeCgroup(this.dir) || Date.now() > deadline) return;
      setTimeout(attempt, CGROUP_REMOVE_POLL_MS).unref();
    };
    attempt();
  }
}

/**
 * Removes the empty directories of hosts that are gone (their watchdog could not: it was off, or killed
 * with the host). One that still holds processes is left alone: only its own host's watchdog kills.
 */
function removeStaleHostCgroups(ownDir: string): void {
  let names: string[];
  try {
    names = readdirSync(ownDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pidText = name.slice(HOST_CGROUP_PREFIX.length);
    if (!name.startsWith(HOST_CGROUP_PREFIX) || !/^[0-9]+$/.test(pidText) || isProcessAlive(Number(pidText)))
      continue;
    const dir = `${ownDir}/${name}`;
    let children: string[];
    try {
      children = readdirSync(dir).filter((child) => child.startsWith(PLUGIN_CGROUP_PREFIX));
    } catch {
      continue;
    }
    for (const child of children) removeCgroup(`${dir}/${child}`);
    removeCgroup(dir);
  }
}

function killCgroup(dir: string): void {
  try {
    writeFileSync(`${dir}/cgroup.kill`, '1');
  } catch {
    // Gone already, or no cgroup.kill: nothing to kill.
  }
}

/** Removes an empty cgroup; false while processes remain in it (EBUSY). */
function removeCgroup(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
