// Test-only: runs a fixture module in a separate Node process connected to this one over a real Unix socket,
// so acceptance tests cross a real process boundary. Not part of the published build.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listenUnixSocket, type UnixSocketListener } from '../transport/node/unix-socket.js';
import type { StreamTransport } from '../transport/node/stream-transport.js';
import { TEST_SOCKET_ENV } from './peer-connect.js';

/** How long a fixture may take from spawn to connecting back. */
export const PEER_CONNECT_TIMEOUT_MS = 10_000;
/** How long `dispose()` waits after SIGTERM before it sends SIGKILL. */
export const PEER_KILL_GRACE_MS = 1000;
/** The last this many characters of the child's stdout and stderr are kept. */
const OUTPUT_CAP = 256 * 1024;

/** tsx's loader as an absolute URL, so `--import` works whatever the child's working directory. */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface PeerProcessOptions {
  /** Extra command-line arguments for the fixture (it reads them from `process.argv.slice(2)`). */
  readonly args?: readonly string[];
  /** Extra environment variables, on top of this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long the child may take to connect (default {@link PEER_CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
}

export interface PeerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface PeerProcess {
  /** The connection to the child, accepted on the test side. */
  readonly transport: StreamTransport;
  readonly child: ChildProcess;
  readonly pid: number;
  /** The socket the child connected to (inside a private 0700 temp dir, removed by `dispose`). */
  readonly socketPath: string;
  /** Everything the child wrote to stderr so far (the last 256 KiB). */
  stderr(): string;
  /** Everything the child wrote to stdout so far (the last 256 KiB). */
  stdout(): string;
  /** Settles when the child has exited. */
  readonly exited: Promise<PeerExit>;
  /** Disposes the transport, stops the child (SIGTERM, then SIGKILL after 1 s) and removes the temp dir. Idempotent. */
  dispose(): Promise<void>;
}

/** Children still running, killed if the test process exits without disposing them. */
const live = new Set<ChildProcess>();
/** Temp dirs not yet removed, removed if the test process exits without disposing their peers. */
const liveDirs = new Set<string>();
let exitHookInstalled = false;

/**
 * Starts `node --conditions=tether-source --import tsx <fixtureModule> ...args` with `TETHER_TEST_SOCKET`
 * naming a Unix socket in a fresh private (0700) temp dir, and resolves once the child has connected to it
 * (the fixture calls `connectToTestHost()` from peer-connect.ts). Rejects, with the child's stderr in the
 * message, when the child exits first or does not connect in time.
 */
export async function startPeerProcess(
  fixtureModule: string,
  options: PeerProcessOptions = {},
): Promise<PeerProcess> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), 'tether-peer-'));
  liveDirs.add(dir);
  await chmod(dir, 0o700);
  const socketPath =
    process.platform === 'win32' ? `\\\\.\\pipe\\${dir.replace(/[^\w-]/g, '_')}` : join(dir, 'peer.sock');
  let listener: UnixSocketListener;
  try {
    listener = await listenUnixSocket(socketPath);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw error;
  }

  const child = spawn(
    process.execPath,
    ['--conditions=tether-source', '--import', tsxLoader, fixtureModule, ...(options.args ?? [])],
    {
      env: { ...process.env, [TEST_SOCKET_ENV]: socketPath, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  live.add(child);
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  const exited = new Promise<PeerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    // A spawn that fails (no 'exit' follows) counts as an exit.
    child.once('error', () => {
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
        live.delete(child);
        resolve({ code: null, signal: null });
      }
    });
  });

  let disposing: Promise<void> | undefined;
  let transport: StreamTransport | undefined;
  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      transport?.dispose();
      await listener.close();
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    })();
    return disposing;
  };

  const timeoutMs = options.connectTimeoutMs ?? PEER_CONNECT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const failure = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`did not connect within ${timeoutMs} ms`), timeoutMs);
    void exited.then(({ code, signal }) =>
      resolve(`exited before connecting (${signal === null ? `code ${code}` : `signal ${signal}`})`),
    );
  });
  let failed = false;
  const accepting = listener.accept();
  // If the child connects after we gave up (or never), nothing else would see this promise settle.
  accepting.then(
    (late) => {
      if (failed) late.dispose();
    },
    () => {},
  );
  try {
    const outcome = await Promise.race([accepting, failure]);
    if (typeof outcome === 'string') {
      failed = true;
      await Promise.race([stderr.ended, delay(500)]);
      const output = stderr.text().trimEnd();
      await dispose();
      throw new Error(
        `The peer process ${fixtureModule} ${outcome}. ` +
          (output === '' ? 'It wrote nothing to stderr.' : `Its stderr:\n${output}`),
      );
    }
    transport = outcome;
  } finally {
    clearTimeout(timer);
  }
  await listener.close(); // one connection is all we wait for; the socket file goes away

  const accepted = transport;
  return {
    transport: accepted,
    child,
    pid: child.pid!,
    socketPath,
    stderr: stderr.text,
    stdout: stdout.text,
    exited,
    dispose,
  };
}

async function stopChild(child: ChildProcess, exited: Promise<PeerExit>): Promise<void> {
  if (!isRunning(child)) return;
  child.kill('SIGTERM');
  await Promise.race([exited, delay(PEER_KILL_GRACE_MS)]);
  if (isRunning(child)) {
    child.kill('SIGKILL');
    await exited;
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function capture(stream: NodeJS.ReadableStream | null): {
  readonly text: () => string;
  readonly ended: Promise<void>;
} {
  let text = '';
  const ended = new Promise<void>((resolve) => {
    if (stream === null) {
      resolve();
      return;
    }
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > OUTPUT_CAP) text = text.slice(-OUTPUT_CAP);
    });
    stream.once('end', resolve);
    stream.once('error', () => resolve());
  });
  return { text: () => text, ended };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}
