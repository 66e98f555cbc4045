// The shared harness of `npm run bench`: what an approach provides, how its child process is started and
// pinned, and the workloads, which see every approach only through the small `BenchClient` interface.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TetherError } from '../sdk/src/errors/tether-error.js';

/** What the host side of one approach can do; the workloads see an approach only through this. */
export interface BenchClient {
  /** A small call: two numbers in, one out. */
  call(): Promise<unknown>;
  /** Sends `data` and resolves with the bytes the child sent back. */
  echo(data: Uint8Array): Promise<unknown>;
  /** A call during which the child calls the host back once; absent when the approach cannot. */
  readonly callback?: () => Promise<unknown>;
  /**
   * Has the child send `total` bytes to the host, `chunkSize` bytes at a time (its own pattern, allocated
   * once), with the approach's backpressure; resolves with the bytes the host counted on arrival.
   */
  readonly streamToHost?: (total: number, chunkSize: number) => Promise<number>;
  /** Sends `chunk` to the child again and again, `total` bytes in all; resolves with the bytes the child counted. */
  readonly streamToChild?: (chunk: Uint8Array, total: number) => Promise<number>;
}

/** Where to pin the child side: a whole process, or one thread (a worker) by its Linux thread id. */
export interface PinTarget {
  readonly id: number;
  readonly thread: boolean;
}

export interface StartedApproach {
  readonly client: BenchClient;
  readonly pin: PinTarget | undefined;
  dispose(): Promise<void>;
}

export interface Approach {
  readonly id: string;
  readonly label: string;
  /**
   * Peers (two-process RPC libraries) are what Tether is compared with; floors (raw transports) are what
   * no library can beat; a reference (one process) is shown for scale and is in no ratio.
   */
  readonly kind: 'tether' | 'floor' | 'peer' | 'reference';
  /** Why a workload does not apply to this approach, for each one that does not (its client method is absent). */
  readonly unsupported?: Partial<Record<WorkloadId, string>>;
  start(): Promise<StartedApproach>;
}

// ── Child processes ───────────────────────────────────────────────────────────────────────────────────

/** Set to a directory, every child writes a CPU profile there (`--cpu-prof`); see run.ts. */
const CPU_PROF_DIR = process.env.TETHER_BENCH_CPU_PROF;

/** The flags every child runs with: TypeScript through tsx, Tether from source. */
export const CHILD_EXEC_ARGV: readonly string[] = [
  '--conditions=tether-source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  ...(CPU_PROF_DIR !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []),
];

// A profile is written only on a normal exit, not when SIGTERM kills the child.
if (CPU_PROF_DIR !== undefined && process.argv.includes('--child'))
  process.once('SIGTERM', () => process.exit(0));

/** True in the child started for `moduleUrl` (the module was run as `node … <file> --child`). */
export function isChildOf(moduleUrl: string): boolean {
  return process.argv.includes('--child') && pathToFileURL(process.argv[1] ?? '').href === moduleUrl;
}

/** Forks `file --child` with an IPC channel and waits for its first message ('ready'). */
export async function forkChild(file: string, serialization: 'json' | 'advanced'): Promise<ChildProcess> {
  const child = fork(file, ['--child'], {
    execArgv: [...CHILD_EXEC_ARGV],
    serialization,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
  child.removeAllListeners('exit');
  return child;
}

/** Spawns `file --child` without IPC (stdio inherited), with extra environment variables. */
export function spawnChild(file: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...CHILD_EXEC_ARGV, file, '--child'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** SIGTERM, and resolves once the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// ── Placement ─────────────────────────────────────────────────────────────────────────────────────────

export type Placement = 'split' | 'same' | 'unpinned';

/**
 * The CPUs this process may run on, read once when this module loads, before anything is pinned: after
 * `taskset` narrows the process, availableParallelism() (and /proc) report the pin, not the machine.
 */
export const CPUS: readonly number[] = allowedCpus();

/** How many CPUs the bench may use (see {@link CPUS}). */
export const CPU_COUNT = CPUS.length;

/** Why the bench cannot pin, or undefined when it can (Linux, ≥ 2 CPUs, `taskset` works). */
export function pinningUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (CPU_COUNT < 2) return 'fewer than 2 CPUs';
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return undefined;
  } catch {
    return '`taskset` is not available';
  }
}

/** The CPU of the bench itself, and of the child in the 'split' placement. */
export const HOST_CPU = CPUS[0] ?? 0;
export const OTHER_CPU = CPUS[1] ?? HOST_CPU;

/** Pins a process (all its threads) or one thread to a CPU. */
export function pin(target: PinTarget, cpu: number): void {
  execFileSync('taskset', [...(target.thread ? [] : ['-a']), '-p', '-c', String(cpu), String(target.id)], {
    stdio: 'ignore',
  });
}

/** Gives every thread of this process back all the CPUs it had at start. */
export function unpinSelf(): void {
  execFileSync('taskset', ['-a', '-p', '-c', CPUS.join(','), String(process.pid)], { stdio: 'ignore' });
}

/** The process's CPU list from /proc (Linux), else 0 … availableParallelism() − 1. */
function allowedCpus(): number[] {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
    if (list !== undefined) {
      const cpus = list.split(',').flatMap((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
      });
      if (cpus.length > 0 && cpus.every(Number.isInteger)) return cpus;
    }
  } catch {
    // not Linux: fall through
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

// ── Workloads ─────────────────────────────────────────────────────────────────────────────────────────

export type WorkloadId =
  'smallP50' | 'smallP99' | 'inFlight64' | 'echo1MiB' | 'callbackP50' | 'streamToHost' | 'streamToChild';

export interface Workload {
  readonly id: WorkloadId;
  readonly label: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
}

export const WORKLOADS: readonly Workload[] = [
  { id: 'smallP50', label: 'small call RT p50', unit: 'µs', better: 'lower' },
  { id: 'smallP99', label: 'small call RT p99', unit: 'µs', better: 'lower' },
  { id: 'inFlight64', label: '64 in flight', unit: 'calls/s', better: 'higher' },
  { id: 'echo1MiB', label: '1 MiB echo', unit: 'MB/s', better: 'higher' },
  { id: 'callbackP50', label: 'callback RT p50', unit: 'µs', better: 'lower' },
  { id: 'streamToHost', label: 'stream child → host', unit: 'MB/s', better: 'higher' },
  { id: 'streamToChild', label: 'stream host → child', unit: 'MB/s', better: 'higher' },
];

export interface WorkloadSizes {
  readonly warmMs: number;
  readonly smallCalls: number;
  readonly inFlightMs: number;
  readonly echoes: number;
  readonly callbacks: number;
  /** Bytes of one measured stream (a multiple of `streamChunk`). */
  readonly streamBytes: number;
  readonly streamChunk: number;
  /** Bytes of each warm-up stream (streams of this size run for `warmMs` first). */
  readonly streamWarmBytes: number;
}

const MiB = 1024 * 1024;

export const FULL_SIZES: WorkloadSizes = {
  warmMs: 300,
  smallCalls: 3000,
  inFlightMs: 1000,
  echoes: 40,
  callbacks: 2000,
  streamBytes: 256 * MiB,
  streamChunk: 64 * 1024,
  streamWarmBytes: 16 * MiB,
};
export const QUICK_SIZES: WorkloadSizes = {
  warmMs: 50,
  smallCalls: 300,
  inFlightMs: 150,
  echoes: 5,
  callbacks: 200,
  streamBytes: 4 * MiB,
  streamChunk: 64 * 1024,
  streamWarmBytes: 1 * MiB,
};

/** Longest any one workload may take before the run gives up on it (a hang, not a slow approach). */
export const WORKLOAD_DEADLINE_MS = 120_000;

/** One run: a number per workload measured, and why for each workload that threw or hung. */
export interface RunResult {
  readonly values: Partial<Record<WorkloadId, number>>;
  readonly failures: Partial<Record<WorkloadId, string>>;
}

const patterns = new Map<number, Uint8Array>();

/** The stream chunk of `size` bytes (byte i = i mod 256), allocated once per process and size. */
export function streamPattern(size: number): Uint8Array {
  let pattern = patterns.get(size);
  if (pattern === undefined) {
    pattern = new Uint8Array(size).map((_, i) => i & 0xff);
    patterns.set(size, pattern);
  }
  return pattern;
}

/** Runs every workload (or those in `only`) against one started approach. */
export async function runWorkloads(
  client: BenchClient,
  sizes: WorkloadSizes,
  only?: readonly WorkloadId[],
): Promise<RunResult> {
  const values: RunResult['values'] = {};
  const failures: RunResult['failures'] = {};
  let hung: string | undefined;
  // Each workload on its own: one that throws (an approach that cannot do it) leaves the others measured;
  // one that hangs ends the run, since its connection is in an unknown state.
  const step = async (
    ids: readonly WorkloadId[],
    measure: () => Promise<readonly number[]>,
  ): Promise<void> => {
    if (only !== undefined && !ids.some((id) => only.includes(id))) return;
    if (hung !== undefined) {
      for (const id of ids) failures[id] = `not run: ${hung}`;
      return;
    }
    try {
      const got = await withDeadline(measure(), ids.join(', '));
      ids.forEach((id, i) => (values[id] = got[i]!));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof TetherError && error.code === 'TIMEOUT') hung = reason;
      for (const id of ids) failures[id] = `failed: ${reason}`;
    }
  };

  await step(['smallP50', 'smallP99'], async () => {
    await warmUp(sizes.warmMs, () => client.call());
    const small = await timeEach(sizes.smallCalls, () => client.call());
    return [quantile(small, 0.5) * 1000, quantile(small, 0.99) * 1000];
  });

  await step(['inFlight64'], async () => {
    await warmUp(sizes.warmMs, () => inFlight(client, 64, sizes.warmMs));
    return [await inFlight(client, 64, sizes.inFlightMs)];
  });

  await step(['echo1MiB'], async () => {
    const big = new Uint8Array(MiB).map((_, i) => i & 0xff);
    await warmUp(sizes.warmMs, () => client.echo(big));
    const echoes = await timeEach(sizes.echoes, () => client.echo(big));
    return [big.byteLength / 1e6 / (quantile(echoes, 0.5) / 1000)];
  });

  const { callback, streamToHost, streamToChild } = client;
  if (callback !== undefined)
    await step(['callbackP50'], async () => {
      await warmUp(sizes.warmMs, callback);
      return [quantile(await timeEach(sizes.callbacks, callback), 0.5) * 1000];
    });

  const chunk = streamPattern(sizes.streamChunk);
  if (streamToHost !== undefined)
    await step(['streamToHost'], () =>
      streamRate(sizes, 'child → host', (total) => streamToHost(total, chunk.byteLength)),
    );
  if (streamToChild !== undefined)
    await step(['streamToChild'], () =>
      streamRate(sizes, 'host → child', (total) => streamToChild(chunk, total)),
    );
  return { values, failures };
}

/** Warms up with small streams, then times one stream of `sizes.streamBytes`; MB/s (10^6 B per MB). */
async function streamRate(
  sizes: WorkloadSizes,
  direction: string,
  stream: (total: number) => Promise<number>,
): Promise<number[]> {
  const verified = async (total: number): Promise<void> => {
    const received = await stream(total);
    if (received !== total)
      throw new TetherError(
        'PROTOCOL_ERROR',
        `The ${direction} stream delivered ${received} of ${total} bytes: the approach's stream code loses or duplicates chunks; fix it before reading its numbers.`,
      );
  };
  await warmUp(sizes.warmMs, () => verified(sizes.streamWarmBytes));
  const start = performance.now();
  await verified(sizes.streamBytes);
  return [sizes.streamBytes / 1e6 / ((performance.now() - start) / 1000)];
}

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TetherError(
            'TIMEOUT',
            `${what} did not finish within ${WORKLOAD_DEADLINE_MS / 1000} s (a hang: look for a stalled stream or a lost reply)`,
          ),
        ),
      WORKLOAD_DEADLINE_MS,
    );
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Keeps `concurrency` calls outstanding for `ms`; returns completed calls per second. */
async function inFlight(client: BenchClient, concurrency: number, ms: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  const until = start + ms;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      await client.call();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done / ((performance.now() - start) / 1000);
}

async function timeEach(count: number, step: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  return times;
}

async function warmUp(ms: number, step: () => Promise<unknown>): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) await step();
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}
