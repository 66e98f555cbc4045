import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** What the processes of one process group use, at one moment. */
export interface ProcessGroupUsage {
  /** User + system CPU time of every live process of the group, ms, since each started. */
  readonly cpuTimeMs: number;
  /** Resident memory of the group's processes, bytes. */
  readonly rssBytes: number;
  readonly processes: number;
}

let units: { tickMs: number; pageBytes: number } | undefined;

/** Clock tick and page size, read once (`getconf`; the Linux defaults when it is missing). */
function systemUnits(): { tickMs: number; pageBytes: number } {
  if (units !== undefined) return units;
  const read = (name: string, fallback: number): number => {
    try {
      const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2_000 }).trim());
      return Number.isFinite(value) && value > 0 ? value : fallback;
    } catch {
      return fallback;
    }
  };
  units = { tickMs: 1000 / read('CLK_TCK', 100), pageBytes: read('PAGESIZE', 4096) };
  return units;
}

/** Whether `usageOfProcessGroups` can measure on this OS (Linux's /proc). */
export const canMeasureProcessGroups = process.platform === 'linux';

/**
 * CPU time and resident memory of the given process groups (a plugin's group is led by its pid), from one
 * pass over /proc: every process whose group is one of `groups` counts, so the children a plugin started
 * are included. Groups with no live process are absent from the result. Linux only (an empty map elsewhere);
 * costs one read of /proc per call, so the manager calls it only while someone watches.
 */
export async function usageOfProcessGroups(
  groups: ReadonlySet<number>,
): Promise<Map<number, ProcessGroupUsage>> {
  const result = new Map<number, { cpuTimeMs: number; rssBytes: number; processes: number }>();
  if (!canMeasureProcessGroups || groups.size === 0) return result;
  const { tickMs, pageBytes } = systemUnits();
  const names = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      const stat = await readFile(`/proc/${name}/stat`, 'latin1').catch(() => undefined);
      if (stat === undefined) return;
      // The command name (field 2) is in parentheses and may hold spaces or ')': fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the name: state(3) ppid(4) pgrp(5) … utime(14) stime(15) … rss(24) → indexes 2, 11, 12, 21.
      const group = Number(fields[2]);
      if (!groups.has(group)) return;
      const entry = result.get(group) ?? { cpuTimeMs: 0, rssBytes: 0, processes: 0 };
      entry.cpuTimeMs += (Number(fields[11]) + Number(fields[12])) * tickMs;
      entry.rssBytes += Number(fields[21]) * pageBytes;
      entry.processes += 1;
      result.set(group, entry);
    }),
  );
  return result;
}
