/**
 * The host-death watchdog: one tiny process per host (`/bin/sh` running `WATCHDOG_SCRIPT`) that SIGKILLs the
 * plugins' process groups, and their cgroups, when the host dies — by SIGKILL or a crash as well, when the
 * host itself can run no code. A plugin that notices its host's death kills its own group (the SDK does
 * that), but a plugin whose event loop is stuck, or an executable that does not use the SDK, does not.
 *
 * The host holds the only write end of the watchdog's stdin and writes one line per change (`+pgid` when a
 * plugin's group starts, `-pgid` in the same tick as it observes the leader's exit); the end of stdin is
 * the host's death. The watchdog is started with the first plugin, in a session of its own (so a Ctrl-C or
 * hang-up aimed at the host's terminal job does not reach it), and unref'd: it never keeps the host alive.
 * A watchdog that dies while plugins run is replaced and told the current groups.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { toDisposable, type Disposable } from '@tether/sdk';
import { WATCHDOG_RESTART_INTERVAL_MS, WATCHDOG_SHELL } from '../constants.js';
import { WATCHDOG_SCRIPT } from './host-death-watchdog-script.js';

export interface HostDeathWatchdogOptions {
  /** The shell that runs the script (default {@link WATCHDOG_SHELL}). */
  readonly shell?: string;
  /** Least time between two starts (default {@link WATCHDOG_RESTART_INTERVAL_MS}). */
  readonly restartIntervalMs?: number;
}

export class HostDeathWatchdog implements Disposable {
  readonly #shell: string;
  readonly #restartIntervalMs: number;
  readonly #groups = new Set<number>();
  #cgroupDir: string | undefined;
  #child: ChildProcess | undefined;
  #startedAt = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #failed = false;
  #disposed = false;

  constructor(options: HostDeathWatchdogOptions = {}) {
    this.#shell = options.shell ?? WATCHDOG_SHELL;
    this.#restartIntervalMs = options.restartIntervalMs ?? WATCHDOG_RESTART_INTERVAL_MS;
  }

  /** The watchdog process's pid while it runs (diagnostics, tests). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** False once the shell could not be started: the host's death then kills nothing but what the SDK does. */
  get available(): boolean {
    return !this.#failed;
  }

  /**
   * Lists the process group `pgid` (a plugin just spawned as its leader) until the returned disposable is
   * disposed, which must happen in the same tick as the leader's exit is observed, before the id can be
   * reused. Starts the watchdog if it is not running.
   */
  watch(pgid: number): Disposable {
    if (this.#disposed || !Number.isSafeInteger(pgid) || pgid <= 1) return toDisposable(() => {});
    this.#groups.add(pgid);
    this.#send(`+${pgid}`);
    return toDisposable(() => {
      if (this.#groups.delete(pgid)) this.#send(`-${pgid}`);
    });
  }

  /** The directory holding this host's plugin cgroups: at the host's death it is killed (`cgroup.kill`). */
  watchCgroups(dir: string): void {
    if (this.#disposed || this.#cgroupDir === dir || dir.includes('\n') || !dir.startsWith('/')) return;
    this.#cgroupDir = dir;
    this.#send(`c${dir}`);
  }

  /** Ends the watchdog without it killing anything (tests; a host never needs to). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#restartTimer);
    this.#groups.clear();
    const child = this.#child;
    this.#child = undefined;
    if (child?.stdin?.writable) child.stdin.end('q\n');
  }

  #send(line: string): void {
    const child = this.#child;
    if (child === undefined) {
      // Starting sends the whole state, this change included; with nothing to guard there is no need to.
      if (this.#groups.size > 0) this.#start();
      return;
    }
    // A write to a pipe with room goes to the kernel at once (Node writes synchronously when nothing is
    // queued), so a line written just before the host dies still reaches the watchdog before the end.
    child.stdin?.write(`${line}\n`);
  }

  #start(): ChildProcess | undefined {
    if (this.#failed || this.#disposed || this.#restartTimer !== undefined) return undefined;
    let child: ChildProcess;
    try {
      child = spawn(this.#shell, ['-c', WATCHDOG_SCRIPT], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
        cwd: '/',
        // Nothing of the host's environment; the script needs only `sleep` and `rmdir` from the system.
        env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
      });
    } catch {
      this.#failed = true;
      return undefined;
    }
    if (child.pid === undefined) {
      this.#failed = true;
      child.on('error', () => {});
      return undefined;
    }
    this.#child = child;
    this.#startedAt = Date.now();
    child.on('error', () => {});
    child.stdin!.on('error', () => {});
    child.unref();
    (child.stdin as Socket).unref();
    child.once('exit', () => this.#exited(child));
    // The whole state, in one write: the cgroup directory, then every group listed.
    const lines = [
      ...(this.#cgroupDir === undefined ? [] : [`c${this.#cgroupDir}`]),
      ...[...this.#groups].map((pgid) => `+${pgid}`),
    ];
    if (lines.length > 0) child.stdin!.write(`${lines.join('\n')}\n`);
    return child;
  }

  /** The watchdog died while the host lives (someone killed it): replace it if it has groups to guard. */
  #exited(child: ChildProcess): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    if (this.#disposed || this.#groups.size === 0) return;
    const wait = Math.max(0, this.#startedAt + this.#restartIntervalMs - Date.now());
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#child === undefined && this.#groups.size > 0) this.#start();
    }, wait);
    this.#restartTimer.unref();
  }
}
