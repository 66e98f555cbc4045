/**
 * Signalling a plugin's process group, and stopping it: SIGTERM to the group, a grace period, SIGKILL to the
 * group. The plugin is spawned as the leader of its own process group (`detached: true`), so its children
 * and grandchildren are signalled with it (go-plugin #136: grandchildren survived Kill). Its containment
 * (`containment.ts`: a cgroup of its own where possible, the host-death watchdog) is released with it.
 *
 * Pid reuse (go-plugin #320): once the plugin's exit has been observed its pid may belong to a stranger, so
 * nothing is signalled after that — with one deliberate exception, the sweep below.
 */
import { UNCONTAINED, type ContainmentLevel, type PluginContainment } from './containment.js';

/** How a process ended: exactly one of `code` and `signal` is non-null. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Groups not yet known to have exited; SIGKILLed if the host exits with them still running. */
const live = new Set<ProcessGroup>();
let hostExitHookInstalled = false;

function killLiveGroupsOnHostExit(): void {
  // The host is going away without having stopped these plugins (a graceful stop is the manager's job,
  // before exit). 'exit' handlers cannot wait, so there is no grace: make sure nothing is orphaned. (A host
  // that dies without running this, by SIGKILL or a crash, leaves the job to the watchdog and the SDK.)
  for (const group of live) group.killNow();
}

/**
 * The process group led by one spawned plugin. On Windows, which has no process groups, only the process
 * itself is signalled.
 */
export class ProcessGroup {
  readonly pid: number;
  readonly #useGroup: boolean;
  readonly #containment: PluginContainment;
  #exited = false;

  /**
   * `useGroup`: the process was spawned as a group leader (`detached: true`, not on Windows).
   * `containment`: what else holds it (`containPlugin`), released when its exit is observed.
   */
  constructor(pid: number, useGroup: boolean, containment: PluginContainment = UNCONTAINED) {
    this.pid = pid;
    this.#useGroup = useGroup;
    this.#containment = containment;
    live.add(this);
    if (!hostExitHookInstalled) {
      hostExitHookInstalled = true;
      process.once('exit', killLiveGroupsOnHostExit);
    }
  }

  /** True once the leader's exit was observed; from then on {@link signal} does nothing. */
  get exited(): boolean {
    return this.#exited;
  }

  /** How far the plugin's processes are contained (`containment.ts`). */
  get containment(): ContainmentLevel {
    return this.#containment.level;
  }

  /**
   * Sends `signal` to the whole group. Returns false when nothing was sent: the leader's exit was already
   * observed, or the group is already gone (ESRCH).
   */
  signal(signal: NodeJS.Signals): boolean {
    if (this.#exited) return false;
    return this.#send(signal);
  }

  /**
   * Records that the leader has exited (call it from the child's 'exit' event, in the same tick), and
   * SIGKILLs what is left of its group: descendants that ignored SIGTERM or outlived a crashed plugin.
   *
   * This is safe against pid reuse: a process group id stays reserved while any member of the group lives,
   * so the signal reaches only the plugin's own descendants; with no member left it fails with ESRCH. The
   * only hazard, the id being recycled as a new group leader's pid between the reaping and this call, needs
   * the kernel's pid counter to wrap around within one event-loop tick.
   */
  markExited(): void {
    if (this.#exited) return;
    if (this.#useGroup) this.#send('SIGKILL');
    this.#exited = true;
    live.delete(this);
    // In the same tick: what left the group is killed through the cgroup, and the watchdog forgets the id.
    this.#containment.release();
  }

  /** The host exits with this plugin running: SIGKILL to the group and to its cgroup, no grace. */
  killNow(): void {
    this.signal('SIGKILL');
    if (!this.#exited) this.#containment.kill();
  }

  #send(signal: NodeJS.Signals): boolean {
    try {
      process.kill(this.#useGroup ? -this.pid : this.pid, signal);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ESRCH: already gone. EPERM: the group holds a member we may not signal (a setuid helper); the
      // members we may signal were signalled.
      if (code === 'ESRCH' || code === 'EPERM') return false;
      throw error;
    }
  }
}

/**
 * Stops a process group: SIGTERM to the group, then, if the leader has not exited after `graceMs`, SIGKILL
 * to the group. Resolves when `exited` settles (the leader's exit was observed and reported).
 */
export async function terminateProcessGroup(
  group: ProcessGroup,
  exited: Promise<unknown>,
  graceMs: number,
): Promise<void> {
  if (!group.exited) {
    group.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => {
      timer = setTimeout(() => resolve('grace-over'), graceMs);
    });
    const outcome = await Promise.race([exited.then(() => 'exited' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace-over') group.signal('SIGKILL');
  }
  await exited;
}
