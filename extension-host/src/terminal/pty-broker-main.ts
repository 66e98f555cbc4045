// The pty broker: a small Node process the host starts for each pty plugin (see `pty-broker.ts`). It owns the
// terminal's master side so that the host never does: node-pty 1.1.0 leaves the master fd inheritable
// (not close-on-exec; microsoft/node-pty#657) and Node cannot change that, so a master held by the host
// would leak into every process the host starts later. The broker starts nothing but the plugin, and
// forkpty closes the master in it. Protocol: `pty-broker-protocol.ts`.
//
// It exits once the plugin has exited and its output is written to the host, or as soon as the host goes
// away (its stdin closes), killing the plugin's process group then.
import { Console } from 'node:console';
import { Socket } from 'node:net';
import type * as NodePty from 'node-pty';
import type { IPty } from 'node-pty';
import {
  FrameReader,
  FrameType,
  encodeMessage,
  type BrokerConfig,
  type BrokerMessage,
  type ResizeMessage,
} from './pty-broker-protocol.js';
import { PtyWriter } from './pty-writer.js';

/** What node-pty's Unix terminal has at run time beyond its typings: the master fd and the 'close' event. */
interface UnixPtyInternals {
  readonly fd?: unknown;
  on?(event: 'close', listener: () => void): void;
}

// stdout is the terminal's output to the host: whatever a library logs goes to stderr, which the host
// reads as diagnostics, rather than into the plugin's terminal.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

const input = new Socket({ fd: 0, readable: true, writable: false });
const output = new Socket({ fd: 1, readable: false, writable: true });

let pty: IPty | undefined;
let writeInput: ((bytes: Buffer) => void) | undefined;
let exited = false;
let configured = false;

function send(message: BrokerMessage): void {
  process.stderr.write(encodeMessage(message));
}

/** The host is gone (or broke the protocol): nobody can see or stop the plugin any more, so kill it. */
function abandon(): void {
  if (pty !== undefined && !exited) {
    try {
      if (process.platform === 'win32') pty.kill();
      else process.kill(-pty.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  process.exit(0);
}

async function start(config: BrokerConfig): Promise<void> {
  let nodePty: typeof NodePty;
  try {
    nodePty = await import('node-pty');
  } catch (error) {
    send({ type: 'error', stage: 'load', message: (error as Error).message });
    process.exit(1);
  }
  let spawned: IPty;
  try {
    spawned = nodePty.spawn(config.file, [...config.args], {
      name: config.name,
      cols: config.cols,
      rows: config.rows,
      cwd: config.cwd,
      env: { ...config.env },
      // Raw bytes: the host decodes nothing.
      encoding: null,
    });
  } catch (error) {
    send({ type: 'error', stage: 'spawn', message: (error as Error).message });
    process.exit(1);
  }
  pty = spawned;
  const internals = spawned as unknown as UnixPtyInternals;
  if (
    process.platform !== 'win32' &&
    typeof internals.fd === 'number' &&
    typeof internals.on === 'function'
  ) {
    // Unix: our own writer on the master fd (see PtyWriter for why), closed when node-pty closes it.
    const writer = new PtyWriter(internals.fd);
    internals.on('close', () => writer.close());
    writeInput = (bytes) => writer.write(bytes);
  } else {
    writeInput = (bytes) => spawned.write(bytes);
  }
  send({ type: 'spawned', pid: spawned.pid });

  // Backpressure: while the pipe to the host is full, the pty is not read, its kernel buffer fills and the
  // plugin blocks in its next write, as it would if the host read the pty itself.
  let paused = false;
  output.on('drain', () => {
    if (!paused) return;
    paused = false;
    spawned.resume();
  });
  // With `encoding: null` node-pty hands over the Buffers it read (its typings say string).
  spawned.onData((data: string | Buffer) => {
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (!output.write(chunk) && !paused && !exited) {
      paused = true;
      spawned.pause();
    }
  });
  spawned.onExit(({ exitCode, signal }) => {
    // node-pty reports the exit after the last output it read: the output is all queued on stdout.
    exited = true;
    writeInput = undefined;
    send({ type: 'exit', exitCode, signal: signal ?? 0 });
    output.end(() => process.exit(0));
  });
}

const frames = new FrameReader((type, payload) => {
  if (type === FrameType.config) {
    if (configured) throw new Error('a second config frame');
    configured = true;
    void start(JSON.parse(payload.toString('utf8')) as BrokerConfig);
  } else if (type === FrameType.input) {
    // A copy: the writer queues it, and the reader's buffer may be reused.
    writeInput?.(Buffer.from(payload));
  } else if (!exited && pty !== undefined) {
    const size = JSON.parse(payload.toString('utf8')) as ResizeMessage;
    try {
      pty.resize(size.cols, size.rows);
    } catch {
      // The pty is closing (the plugin is exiting): nothing left to resize.
    }
  }
});

input.on('data', (chunk: Buffer) => {
  try {
    frames.push(chunk);
  } catch (error) {
    send({ type: 'error', stage: 'protocol', message: (error as Error).message });
    abandon();
  }
});
input.on('end', abandon);
input.on('error', abandon);
output.on('error', abandon);
// Someone stops the broker itself: do not leave the plugin without a terminal reader.
process.on('SIGTERM', abandon);
process.on('SIGHUP', abandon);
