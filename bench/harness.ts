// The shared harness of `npm run bench`: what an approach provides, how its child process is started and
// pinned, and the workloads, which see every approach only through the small `BenchClient` interface.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** What the host side of one approach can do; every method is one round trip to the child. */
export interface BenchClient {
  /** A small call: two numbers in, one out. */
  call(): Promise<unknown>;
  /** Sends `data` and resolves with the bytes the child sent back. */
  echo(data: Uint8Array): Promise<unknown>;
  /** A call during which the child calls the host back once; absent when the approach cannot. */
  readonly callback?: () => Promise<unknown>;
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
  /** Why the callback workload does not apply, when it does not. */
  readonly callbackUnsupported?: string;
  start(): Promise<StartedApproach>;
}

// ── Child processes ───────────────────────────────────────────────────────────────────────────────────

/** The flags every child runs with: TypeScript through tsx, Tether from source. */
export const CHILD_EXEC_ARGV: readonly string[] = [
  '--conditions=tether-source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
];

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

/** Pins a process (all its threads) or one thread to a CPU. */
export function pin(target: PinTarget, cpu: number): void {
  execFileSync('taskset', [...(target.thread ? [] : ['-a']), '-p', '-c', String(cpu), String(target.id)], {
    stdio: 'ignore',
  });
}

/** The CPUs this process may use at start, before any pinning (availableParallelism() follows the pin). */
export const CPU_COUNT = availableParallelism();

export function unpinSelf(): void {
  execFileSync('taskset', ['-a', '-p', '-c', `0-${CPU_COUNT - 1}`, String(process.pid)], {
    stdio: 'ignore',
  });
}

// ── Workloads ─────────────────────────────────────────────────────────────────────────────────────────

export type WorkloadId = 'smallP50' | 'smallP99' | 'inFlight64' | 'echo1MiB' | 'callbackP50';

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
];

export interface WorkloadSizes {
  readonly warmMs: number;
  readonly smallCalls: number;
  readonly inFlightMs: number;
  readonly echoes: number;
  readonly callbacks: number;
}

export const FULL_SIZES: WorkloadSizes = {
  warmMs: 300,
  smallCalls: 3000,
  inFlightMs: 1000,
  echoes: 40,
  callbacks: 2000,
};
export const QUICK_SIZES: WorkloadSizes = {
  warmMs: 50,
  smallCalls: 300,
  inFlightMs: 150,
  echoes: 5,
  callbacks: 200,
};

/** One run's numbers; a workload the approach cannot do is absent. */
export type RunResult = Partial<Record<WorkloadId, number>>;

export async function runWorkloads(client: BenchClient, sizes: WorkloadSizes): Promise<RunResult> {
  const result: RunResult = {};
  await warmUp(sizes.warmMs, () => client.call());
  const small = await timeEach(sizes.smallCalls, () => client.call());
  result.smallP50 = quantile(small, 0.5) * 1000;
  result.smallP99 = quantile(small, 0.99) * 1000;

  await warmUp(sizes.warmMs, () => inFlight(client, 64, sizes.warmMs));
  result.inFlight64 = await inFlight(client, 64, sizes.inFlightMs);

  const big = new Uint8Array(1024 * 1024).map((_, i) => i & 0xff);
  await warmUp(sizes.warmMs, () => client.echo(big));
  const echoes = await timeEach(sizes.echoes, () => client.echo(big));
  result.echo1MiB = big.byteLength / 1e6 / (quantile(echoes, 0.5) / 1000);

  if (client.callback !== undefined) {
    const callback = client.callback;
    await warmUp(sizes.warmMs, callback);
    result.callbackP50 = quantile(await timeEach(sizes.callbacks, callback), 0.5) * 1000;
  }
  return result;
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
