// Test-only: which processes run (from /proc, Linux), and waiting for them to go, with a deadline.
import { readFileSync, readdirSync } from 'node:fs';

interface ProcessStat {
  readonly pid: number;
  readonly state: string;
  readonly pgid: number;
}

function stat(pid: number): ProcessStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: state ?? '?', pgid: Number(pgid) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs (a zombie, dead and waiting to be reaped, does not count). */
export function isRunning(pid: number): boolean {
  const found = stat(pid);
  return found !== undefined && found.state !== 'Z';
}

/** The running (not zombie) members of process group `pgid`. */
export function runningInGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const found = stat(Number(name));
    if (found !== undefined && found.pgid === pgid && found.state !== 'Z') members.push(found.pid);
  }
  return members;
}

/**
 * Waits until `pids` (and, for each of `groups`, every member) have stopped running; resolves with the ms it
 * took, or with the pids still running at the deadline.
 */
export async function waitUntilGone(
  pids: readonly number[],
  groups: readonly number[],
  timeoutMs: number,
): Promise<{ readonly ms: number; readonly running: number[] }> {
  const start = Date.now();
  for (;;) {
    const running = [...pids.filter(isRunning), ...groups.flatMap(runningInGroup)];
    const ms = Date.now() - start;
    if (running.length === 0 || ms > timeoutMs) return { ms, running: [...new Set(running)] };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** SIGKILLs what a test left running (a process or group it expected to survive). */
export function killQuietly(pid: number, group = false): void {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    // gone
  }
}
