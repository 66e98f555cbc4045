// What Linux's /proc says about a process: resident memory (RSS, and PSS, which splits shared pages among
// the processes mapping them, so 20 plugins sharing node's text are not counted 20 times) and CPU time.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface MemorySample {
  /** VmRSS of /proc/<pid>/status, bytes. */
  readonly rssBytes: number;
  /** Pss of /proc/<pid>/smaps_rollup, bytes; undefined where the file is unreadable. */
  readonly pssBytes: number | undefined;
}

export interface CpuSample {
  /** utime + stime of /proc/<pid>/stat, ms (clock-tick resolution, usually 10 ms). */
  readonly statMs: number;
  /** Sum over the process's threads of /proc/<pid>/task/<tid>/schedstat run time, ms (ns resolution). */
  readonly runMs: number | undefined;
  /** Sum over its threads of the times they were scheduled in (schedstat's third field): wake-ups. */
  readonly slices: number | undefined;
}

/** Why /proc cannot be read here, or undefined when it can. */
export function procUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `/proc is Linux only (this is ${process.platform})`;
  try {
    readFileSync(`/proc/${process.pid}/status`, 'utf8');
    return undefined;
  } catch (error) {
    return `/proc/${process.pid}/status is not readable (${(error as NodeJS.ErrnoException).code})`;
  }
}

const kib = (text: string, field: string): number | undefined => {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]) * 1024;
};

export function readMemory(pid: number): MemorySample {
  const rssBytes = kib(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
  if (rssBytes === undefined) throw new Error(`/proc/${pid}/status has no VmRSS line (a zombie?)`);
  let pssBytes: number | undefined;
  try {
    pssBytes = kib(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
  } catch {
    pssBytes = undefined;
  }
  return { rssBytes, pssBytes };
}

let clockTicks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`; 100 when getconf is missing, as on every Linux build). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function readCpu(pid: number): CpuSample {
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
  const statMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  let runNs = 0;
  let slices = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      } catch {
        continue; // the thread ended between the listing and the read
      }
      const [run, , count] = text.trim().split(' ').map(Number);
      runNs += run ?? 0;
      slices += count ?? 0;
    }
  } catch {
    return { statMs, runMs: undefined, slices: undefined };
  }
  return { statMs, runMs: runNs / 1e6, slices };
}
