// Compares the transports between Node processes with a trivial length-prefixed ping-pong on top of each:
//   (a) StreamTransport over a Unix socket, (b) fork IPC with `serialization: 'advanced'` (IpcTransport,
//   below), (c) MessagePortTransport over a worker_threads MessageChannel (one process, reference only),
// plus (d) child start-up, spawn → connected: a bare `node -e` that connects to a Unix socket, against a tsx
// fixture started by the test harness (startPeerProcess).
// Workloads: small round trip p50 (µs), 64 messages in flight (msgs/s), 1 MiB echo (MB/s: 1 MiB over the
// median round-trip time, 10^6 B per MB; the median keeps other load on a shared VM and the odd major GC
// out). Each workload is warmed up first. Medians of 3 runs, each run with a fresh peer. Placements as in
// the anchor figures: "split" = the two ends pinned to different vCPUs, "same" = both pinned to one (taskset).
//
// Run: node --conditions=tether-source --import tsx bench/transport-compare.ts [--quick] [--runs N] [--only unix,ipc,worker]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  Worker,
  isMainThread,
  parentPort,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { Emitter, type Event } from '../sdk/src/common/event.js';
import { TetherError } from '../sdk/src/errors/tether-error.js';
import { MessagePortTransport } from '../sdk/src/transport/message-port-transport.js';
import type { Transport, TransportCloseEvent } from '../sdk/src/transport/transport.js';
import { listenUnixSocket } from '../sdk/src/transport/node/unix-socket.js';
import { connectToTestHost } from '../sdk/src/test-support/peer-connect.js';
import { startPeerProcess } from '../sdk/src/test-support/peer-process.js';
import { CPU_COUNT, HOST_CPU, OTHER_CPU, pin, pinningUnavailable, unpinSelf } from './harness.js';

const benchFile = fileURLToPath(import.meta.url);
const tsxEsmApi = import.meta.resolve('tsx/esm/api');

// ── IpcTransport: a Transport over a fork IPC channel (bench only) ──────────────────────────────────────

/** The parent's ChildProcess or, in the child, `process`: both have send / 'message' / 'disconnect'. */
interface IpcEndpoint {
  send?(message: unknown, callback?: (error: Error | null) => void): boolean;
  disconnect?(): void;
  readonly connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'disconnect', listener: () => void): unknown;
}

/**
 * One IPC message per `write` (the chunks joined into one Uint8Array). Needs `serialization: 'advanced'`
 * (v8 serializer); with 'json' a Uint8Array would arrive as an object of numbers.
 */
class IpcTransport implements Transport {
  readonly kind = 'ipc';
  readonly #endpoint: IpcEndpoint;
  #closed = false;
  readonly #onDidReceive = new Emitter<Uint8Array>();
  readonly #onDidClose = new Emitter<TransportCloseEvent>();
  readonly onDidReceive: Event<Uint8Array> = this.#onDidReceive.event;
  readonly onDidClose: Event<TransportCloseEvent> = this.#onDidClose.event;

  constructor(endpoint: IpcEndpoint) {
    this.#endpoint = endpoint;
    endpoint.on('message', this.#handleMessage);
    endpoint.on('disconnect', this.#handleDisconnect);
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(chunks: readonly Uint8Array[]): boolean {
    if (this.#closed || this.#endpoint.connected !== true) return false;
    let message: Uint8Array;
    if (chunks.length === 1) message = chunks[0]!;
    else {
      let size = 0;
      for (const chunk of chunks) size += chunk.byteLength;
      message = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        message.set(chunk, offset);
        offset += chunk.byteLength;
      }
    }
    return this.#endpoint.send!(message, (error) => {
      if (error !== null)
        this.#shutdown({ error: new TetherError('TRANSPORT_ERROR', error.message, { cause: error }) });
    });
  }

  close(): void {
    setImmediate(() => this.dispose());
  }

  dispose(): void {
    if (this.#endpoint.connected === true) this.#endpoint.disconnect?.();
    this.#shutdown({});
  }

  readonly #handleMessage = (message: unknown): void => {
    if (!this.#closed && message instanceof Uint8Array) this.#onDidReceive.fire(message);
  };

  readonly #handleDisconnect = (): void => this.#shutdown({});

  #shutdown(event: TransportCloseEvent): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endpoint.off('message', this.#handleMessage);
    this.#endpoint.off('disconnect', this.#handleDisconnect);
    this.#onDidClose.fire(event);
    this.#onDidClose.dispose();
    this.#onDidReceive.dispose();
  }
}

// ── Length-prefixed frames, writes coalesced per tick (as the mux does) ────────────────────────────────

/** Payloads shorter than this are packed with their header into one chunk per tick; longer ones go as is. */
const PACK_THRESHOLD = 4096;

class FrameWriter {
  readonly #transport: Transport;
  #frames: Uint8Array[] = [];
  #scheduled = false;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  send(payload: Uint8Array): void {
    this.#frames.push(payload);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const frames = this.#frames;
    this.#frames = [];
    const chunks: Uint8Array[] = [];
    let packed: number[] = [];
    let packedBytes = 0;
    const cut = (): void => {
      if (packed.length === 0) return;
      const slab = new Uint8Array(packedBytes);
      const view = new DataView(slab.buffer);
      let at = 0;
      for (const index of packed) {
        const payload = frames[index]!;
        view.setUint32(at, payload.byteLength);
        slab.set(payload, at + 4);
        at += 4 + payload.byteLength;
      }
      chunks.push(slab);
      packed = [];
      packedBytes = 0;
    };
    frames.forEach((payload, index) => {
      if (payload.byteLength < PACK_THRESHOLD) {
        packed.push(index);
        packedBytes += 4 + payload.byteLength;
        return;
      }
      cut();
      const header = new Uint8Array(4);
      new DataView(header.buffer).setUint32(0, payload.byteLength);
      chunks.push(header, payload);
    });
    cut();
    this.#transport.write(chunks);
  };
}

class FrameReader {
  readonly #onFrame: (payload: Uint8Array) => void;
  readonly #chunks: Uint8Array[] = [];
  #bytes = 0;
  #need = -1;

  constructor(onFrame: (payload: Uint8Array) => void) {
    this.#onFrame = onFrame;
  }

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    for (;;) {
      if (this.#need < 0) {
        if (this.#bytes < 4) return;
        const header = this.#take(4);
        this.#need = new DataView(header.buffer, header.byteOffset, 4).getUint32(0);
      }
      if (this.#bytes < this.#need) return;
      const payload = this.#take(this.#need);
      this.#need = -1;
      this.#onFrame(payload);
    }
  }

  /** The first `n` buffered bytes: a view when they lie in one chunk, else a copy. */
  #take(n: number): Uint8Array {
    this.#bytes -= n;
    const first = this.#chunks[0];
    if (first === undefined) return new Uint8Array(0);
    if (first.byteLength >= n) {
      if (first.byteLength === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.#chunks[0]!;
      const count = Math.min(chunk.byteLength, n - offset);
      out.set(chunk.subarray(0, count), offset);
      offset += count;
      if (count === chunk.byteLength) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(count);
    }
    return out;
  }
}

/** The peer's side: echo every frame back. */
function serveEcho(transport: Transport): void {
  const writer = new FrameWriter(transport);
  const reader = new FrameReader((payload) => writer.send(payload));
  transport.onDidReceive((chunk) => reader.push(chunk));
}

// ── The measuring side ────────────────────────────────────────────────────────────────────────────────

interface Peer {
  readonly transport: Transport;
  /** What to pin for the peer side: a whole process, or one thread (a worker) by its Linux thread id. */
  readonly pinTarget: { readonly id: number; readonly thread: boolean } | undefined;
  dispose(): Promise<void>;
}

type Kind = 'unix' | 'ipc' | 'worker';
type Placement = 'split' | 'same' | 'unpinned';

interface Result {
  readonly rttP50Us: number;
  readonly inFlightMsgsPerSec: number;
  readonly echoMBps: number;
}

async function startPeer(kind: Kind): Promise<Peer> {
  switch (kind) {
    case 'unix': {
      const peer = await startPeerProcess(benchFile, { args: ['--child', 'unix'] });
      return {
        transport: peer.transport,
        pinTarget: { id: peer.pid, thread: false },
        dispose: () => peer.dispose(),
      };
    }
    case 'ipc': {
      const child = fork(benchFile, ['--child', 'ipc'], {
        execArgv: process.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      const transport = new IpcTransport(child);
      // The child is ready once it answers a ping.
      await roundTrip(transport, new Uint8Array(1));
      return {
        transport,
        pinTarget: { id: child.pid!, thread: false },
        async dispose() {
          transport.dispose();
          await stop(child);
        },
      };
    }
    case 'worker': {
      const channel = new MessageChannel();
      // Node 20 does not carry `--import tsx` hooks into workers: register them in the worker first.
      const bootstrap = `import { register } from ${JSON.stringify(tsxEsmApi)}; register(); await import(${JSON.stringify(import.meta.url)});`;
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
        workerData: { port: channel.port2 },
        transferList: [channel.port2],
      });
      const { tid } = await new Promise<{ tid: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const transport = new MessagePortTransport(channel.port1);
      return {
        transport,
        pinTarget: tid === 0 ? undefined : { id: tid, thread: true },
        async dispose() {
          transport.dispose();
          await worker.terminate();
        },
      };
    }
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One frame out, one back. */
function roundTrip(transport: Transport, payload: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const reader = new FrameReader(() => {
      subscription.dispose();
      resolve();
    });
    const subscription = transport.onDidReceive((chunk) => reader.push(chunk));
    new FrameWriter(transport).send(payload);
  });
}

/** A client over one transport: sends frames, counts echoed frames. */
class Client {
  readonly #writer: FrameWriter;
  #onFrame: (payload: Uint8Array) => void = () => {};

  constructor(transport: Transport) {
    this.#writer = new FrameWriter(transport);
    const reader = new FrameReader((payload) => this.#onFrame(payload));
    transport.onDidReceive((chunk) => reader.push(chunk));
  }

  async sequential(payload: Uint8Array, count: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await new Promise<void>((resolve) => {
        this.#onFrame = () => resolve();
        this.#writer.send(payload);
      });
      times.push(performance.now() - start);
    }
    return times;
  }

  /** Keeps `inFlight` frames outstanding until `total` have come back; returns elapsed ms. */
  pipelined(payload: Uint8Array, inFlight: number, total: number): Promise<number> {
    return new Promise((resolve) => {
      let sent = 0;
      let received = 0;
      const start = performance.now();
      this.#onFrame = () => {
        received++;
        if (received === total) resolve(performance.now() - start);
        else if (sent < total) {
          sent++;
          this.#writer.send(payload);
        }
      };
      for (; sent < Math.min(inFlight, total); sent++) this.#writer.send(payload);
    });
  }
}

async function measure(kind: Kind, placement: Placement, quick: boolean): Promise<Result> {
  const peer = await startPeer(kind);
  try {
    if (placement !== 'unpinned') {
      pin({ id: process.pid, thread: false }, HOST_CPU);
      if (peer.pinTarget !== undefined) pin(peer.pinTarget, placement === 'split' ? OTHER_CPU : HOST_CPU);
    }
    const client = new Client(peer.transport);
    // A fresh peer runs cold (JIT tiering, start-up garbage): warm each workload up for a while first.
    const warmMs = quick ? 300 : 1000;
    const small = new Uint8Array(16).fill(1);
    await warmUp(warmMs, () => client.sequential(small, 200));
    const times = await client.sequential(small, quick ? 1000 : 3000);
    await warmUp(warmMs / 2, () => client.pipelined(small, 64, 10_000));
    const total = quick ? 50_000 : 200_000;
    const pipelinedMs = await client.pipelined(small, 64, total);
    const big = new Uint8Array(1024 * 1024).map((_, i) => i & 0xff);
    await warmUp(warmMs / 2, () => client.sequential(big, 5));
    const bigCount = quick ? 30 : 100;
    const bigTimes = await client.sequential(big, bigCount);
    return {
      rttP50Us: median(times) * 1000,
      inFlightMsgsPerSec: total / (pipelinedMs / 1000),
      echoMBps: big.byteLength / 1e6 / (median(bigTimes) / 1000),
    };
  } finally {
    // Back to every CPU the process had at start (harness.CPUS, read before any pinning).
    if (placement !== 'unpinned') unpinSelf();
    await peer.dispose();
  }
}

async function warmUp(ms: number, step: () => Promise<unknown>): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) await step();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// ── Start-up ──────────────────────────────────────────────────────────────────────────────────────────

async function bareNodeStartMs(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-bench-'));
  const path = join(dir, 's.sock');
  const listener = await listenUnixSocket(path);
  try {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [
        '-e',
        "require('node:net').createConnection(process.env.SOCK).on('connect', function () { this.end(); })",
      ],
      { env: { ...process.env, SOCK: path }, stdio: 'ignore' },
    );
    const transport = await listener.accept();
    const elapsed = performance.now() - start;
    transport.dispose();
    await stop(child);
    return elapsed;
  } finally {
    await listener.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function harnessStartMs(): Promise<number> {
  const fixture = fileURLToPath(new URL('../sdk/src/test-support/fixtures/echo-bytes.ts', import.meta.url));
  const start = performance.now();
  const peer = await startPeerProcess(fixture);
  const elapsed = performance.now() - start;
  await peer.dispose();
  return elapsed;
}

// ── Main ──────────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runsIndex = process.argv.indexOf('--runs');
  const runs = runsIndex >= 0 ? Number(process.argv[runsIndex + 1]) : quick ? 1 : 3;
  const placements: Placement[] = pinningUnavailable() === undefined ? ['split', 'same'] : ['unpinned'];
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1]!.split(',') : undefined;
  const kinds = (
    [
      ['unix', 'StreamTransport, Unix socket'],
      ['ipc', "fork IPC, serialization 'advanced'"],
      ['worker', 'MessagePortTransport, worker MessageChannel (one process)'],
    ] satisfies [Kind, string][]
  ).filter(([kind]) => only === undefined || only.includes(kind));
  console.log(
    `Node ${process.version}, ${CPU_COUNT} CPUs, ${runs} run(s) per cell, placements: ${placements.join(' / ')}`,
  );

  const rows: string[] = [];
  for (const [kind, label] of kinds) {
    const cells: Result[] = [];
    for (const placement of placements) {
      const results: Result[] = [];
      for (let run = 0; run < runs; run++) results.push(await measure(kind, placement, quick));
      cells.push({
        rttP50Us: median(results.map((r) => r.rttP50Us)),
        inFlightMsgsPerSec: median(results.map((r) => r.inFlightMsgsPerSec)),
        echoMBps: median(results.map((r) => r.echoMBps)),
      });
    }
    const join = (f: (r: Result) => string): string => cells.map(f).join(' / ');
    rows.push(
      `| ${label} | ${join((r) => r.rttP50Us.toFixed(1))} µs | ${join((r) => `${Math.round(r.inFlightMsgsPerSec / 1000)}k`)} | ${join((r) => r.echoMBps.toFixed(0))} |`,
    );
    console.log(rows.at(-1));
  }

  const startRuns = quick ? 3 : 7;
  const bare: number[] = [];
  const harness: number[] = [];
  for (let i = 0; i < startRuns; i++) {
    bare.push(await bareNodeStartMs());
    harness.push(await harnessStartMs());
  }

  const where = placements.join(' / ');
  console.log(
    `\n| transport | small RT p50 ${where} | 64 in flight, msgs/s ${where} | 1 MiB echo MB/s ${where} |`,
  );
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\nChild start → connected (median of ${startRuns}, unpinned):`);
  console.log(`| bare \`node -e\` connecting to a Unix socket | ${median(bare).toFixed(1)} ms |`);
  console.log(
    `| startPeerProcess (node --import tsx, echo-bytes.ts fixture) | ${median(harness).toFixed(1)} ms |`,
  );
}

// ── Entry points (last, so every class above is initialised) ─────────────────────────────────────────────────────────────────────

const childIndex = process.argv.indexOf('--child');
if (!isMainThread) {
  const { port } = workerData as { port: MessagePort };
  const tid = await readlink('/proc/thread-self').then(
    (link) => Number(link.split('/').pop()),
    () => 0,
  );
  parentPort!.postMessage({ tid });
  const transport = new MessagePortTransport(port);
  serveEcho(transport);
  transport.onDidClose(() => process.exit(0));
} else if (childIndex >= 0) {
  const kind = process.argv[childIndex + 1];
  if (kind === 'unix') {
    serveEcho(await connectToTestHost({ exitOnClose: true }));
  } else if (kind === 'ipc') {
    const transport = new IpcTransport(process);
    serveEcho(transport);
    transport.onDidClose(() => process.exit(0));
  }
} else {
  await main();
}
