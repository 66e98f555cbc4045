import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createConnection, createServer, Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isTetherError } from '../../errors/tether-error.js';
import { waitFor } from '../../test-support/wait-for.js';
import type { TransportCloseEvent } from '../transport.js';
import { StreamTransport } from './stream-transport.js';
import { connectUnixSocket, listenUnixSocket } from './unix-socket.js';

const events = ['data', 'end', 'error', 'close', 'finish'] as const;

let dir: string;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-transport-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** Two raw sockets connected through a Unix socket (`unix`) or TCP on loopback (`tcp`). */
async function rawPair(kind: 'unix' | 'tcp'): Promise<[Socket, Socket]> {
  const server = createServer();
  const path = join(dir, `raw-${Math.random().toString(36).slice(2)}.sock`);
  await new Promise<void>((resolve) => {
    if (kind === 'unix') server.listen(path, resolve);
    else server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client =
    kind === 'unix' || address === null || typeof address === 'string'
      ? createConnection(path)
      : createConnection(address.port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const serverSide = await accepted;
  server.close(); // stops listening; its callback would wait for these connections to end
  cleanups.push(() => {
    client.destroy();
    serverSide.destroy();
  });
  return [client, serverSide];
}

async function transportPair(kind: 'unix' | 'tcp'): Promise<[StreamTransport, StreamTransport]> {
  const [a, b] = await rawPair(kind);
  const pair: [StreamTransport, StreamTransport] = [new StreamTransport(a), new StreamTransport(b)];
  cleanups.push(() => pair.forEach((t) => t.dispose()));
  return pair;
}

function collect(transport: StreamTransport): { bytes(): Uint8Array; received: () => number } {
  const chunks: Uint8Array[] = [];
  let received = 0;
  transport.onDidReceive((chunk) => {
    expect(chunk).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(chunk)).toBe(false);
    chunks.push(chunk);
    received += chunk.byteLength;
  });
  return { bytes: () => Buffer.concat(chunks), received: () => received };
}

function closeEvents(transport: StreamTransport): TransportCloseEvent[] {
  const seen: TransportCloseEvent[] = [];
  transport.onDidClose((event) => seen.push(event));
  return seen;
}

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition), intervalMs: 1 });
}

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

const sizes = [1, 10, 1000, 4096, 65_536, 1024 * 1024, 8 * 1024 * 1024];

describe.each(['unix', 'tcp'] as const)('StreamTransport over %s sockets', (kind) => {
  it('delivers chunks of 1 byte to 8 MiB intact and in order, both ways', async () => {
    const [a, b] = await transportPair(kind);
    const atB = collect(b);
    const atA = collect(a);
    const sent: Uint8Array[] = [];
    let seed = 0;
    for (const size of sizes) {
      const one = pattern(size, seed++);
      a.write([one]);
      // several chunks in one write: small ones (joined) and large ones (vectored)
      const many = [pattern(10, seed++), pattern(size, seed++), pattern(3, seed++), pattern(size, seed++)];
      a.write(many);
      sent.push(one, ...many);
    }
    const expected = Buffer.concat(sent);
    b.write([pattern(5, 99)]);
    await until(() => atB.received() >= expected.byteLength && atA.received() === 5);
    expect(Buffer.compare(atB.bytes(), expected)).toBe(0);
    expect(atA.bytes()).toEqual(Buffer.from(pattern(5, 99)));
  });

  it('peer close fires onDidClose once on both sides, without an error, after the pending writes', async () => {
    const [rawA, rawB] = await rawPair(kind);
    const [a, b] = [new StreamTransport(rawA), new StreamTransport(rawB)];
    cleanups.push(() => [a, b].forEach((t) => t.dispose()));
    const atB = collect(b);
    const closedA = closeEvents(a);
    const closedB = closeEvents(b);
    const big = pattern(8 * 1024 * 1024, 7);
    a.write([big]);
    a.close();
    expect(a.closed).toBe(true);
    a.close();
    // Once both sockets have emitted 'close' (their last event), no second onDidClose can follow.
    await until(() => closedA.length > 0 && closedB.length > 0 && rawA.closed && rawB.closed);
    expect(closedA).toEqual([{}]);
    expect(closedB).toEqual([{}]);
    expect(atB.received()).toBe(big.byteLength);
    expect(b.closed).toBe(true);
  });

  it('a peer destroyed with unread data gives an error close', async () => {
    const [raw, peer] = await rawPair(kind);
    const transport = new StreamTransport(raw);
    collect(transport);
    const closed = closeEvents(transport);
    peer.pause();
    transport.write([pattern(4 * 1024 * 1024, 1)]);
    // Bytes have reached the paused peer and more are still queued behind them.
    await until(() => peer.bytesRead > 0 && raw.writableLength > 0);
    if (kind === 'tcp') peer.resetAndDestroy();
    else peer.destroy();
    await until(() => closed.length > 0);
    expect(closed).toHaveLength(1);
    const error = closed[0]!.error;
    expect(isTetherError(error, 'TRANSPORT_ERROR')).toBe(true);
    expect(['ECONNRESET', 'EPIPE']).toContain((error!.cause as NodeJS.ErrnoException).code);
    expect(error!.message).toMatch(/ECONNRESET|EPIPE/);
    transport.dispose();
  });

  it('write after close, dispose or peer end returns false and does not throw', async () => {
    const [a, b] = await transportPair(kind);
    collect(a);
    collect(b);
    const closedB = closeEvents(b);
    a.close();
    expect(a.write([new Uint8Array(4)])).toBe(false);
    await until(() => closedB.length > 0);
    expect(b.write([new Uint8Array(4)])).toBe(false);
    a.dispose();
    expect(a.write([new Uint8Array(4), new Uint8Array(5000)])).toBe(false);
  });

  it('dispose is idempotent, fires onDidClose once and leaves no listeners on the socket', async () => {
    const [raw, peer] = await rawPair(kind);
    const before = events.map((event) => raw.listenerCount(event));
    const transport = new StreamTransport(raw);
    collect(transport);
    const peerTransport = new StreamTransport(peer);
    collect(peerTransport);
    const closed = closeEvents(transport);
    const peerClosed = closeEvents(peerTransport);
    transport.dispose();
    transport.dispose();
    expect(closed).toEqual([{}]);
    expect(transport.closed).toBe(true);
    await until(() => raw.closed && peerClosed.length > 0);
    await new Promise((resolve) => setImmediate(resolve));
    transport.dispose();
    expect(closed).toEqual([{}]);
    expect(peerClosed).toEqual([{}]);
    expect(events.map((event) => raw.listenerCount(event))).toEqual(before);
    expect(events.map((event) => peer.listenerCount(event))).toEqual(before);
  });
});

describe('StreamTransport', () => {
  it('starts reading only when a listener subscribes, so early bytes are not lost', async () => {
    const [raw, peer] = await rawPair('unix');
    peer.write(Buffer.from('early'));
    const transport = new StreamTransport(raw);
    // The socket has read the bytes (into its own buffer): a transport already listening would have had them.
    await until(() => raw.bytesRead === 5);
    const got = collect(transport);
    await until(() => got.received() === 5);
    expect(Buffer.from(got.bytes()).toString()).toBe('early');
    transport.dispose();
  });

  it('reports a stream destroyed by someone else as an error', async () => {
    const [raw] = await rawPair('unix');
    const transport = new StreamTransport(raw);
    const closed = closeEvents(transport);
    raw.destroy();
    await until(() => closed.length > 0);
    expect(isTetherError(closed[0]!.error, 'TRANSPORT_ERROR')).toBe(true);
  });

  it('reports a stream error as TRANSPORT_ERROR with the cause', async () => {
    const [raw] = await rawPair('unix');
    const transport = new StreamTransport(raw);
    const closed = closeEvents(transport);
    const cause = new Error('boom');
    raw.destroy(cause);
    await until(() => closed.length > 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toHaveLength(1);
    expect(closed[0]!.error?.cause).toBe(cause);
    expect(raw.listenerCount('error')).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('works over a child process stdio pair', async () => {
    const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const transport = new StreamTransport(Duplex.from({ readable: child.stdout, writable: child.stdin }));
    const got = collect(transport);
    const closed = closeEvents(transport);
    const payload = pattern(1024 * 1024, 3);
    transport.write([payload.subarray(0, 100), payload.subarray(100)]);
    await until(() => got.received() === payload.byteLength);
    expect(Buffer.compare(got.bytes(), payload)).toBe(0);
    transport.close();
    await until(() => closed.length > 0);
    expect(closed).toEqual([{}]);
    await until(() => child.exitCode !== null);
  });

  it('rejects a stream that is already closed', async () => {
    const [raw] = await rawPair('unix');
    raw.destroy();
    const transport = new StreamTransport(raw);
    const closed = closeEvents(transport);
    expect(transport.closed).toBe(true);
    expect(transport.write([new Uint8Array(1)])).toBe(false);
    await Promise.resolve();
    expect(isTetherError(closed[0]?.error, 'TRANSPORT_ERROR')).toBe(true);
  });
});

describe('listenUnixSocket / connectUnixSocket', () => {
  it('accepts connections in order, queues early ones, and creates an owner-only socket file', async () => {
    const path = join(dir, 'host.sock');
    // Calls through; counts the listener's 'connection' events.
    const emit = vi.spyOn(Server.prototype, 'emit');
    const connections = () => emit.mock.calls.filter((call) => String(call[0]) === 'connection').length;
    cleanups.push(() => emit.mockRestore());
    const listener = await listenUnixSocket(path);
    cleanups.push(() => listener.close());
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    const first = await connectUnixSocket(path);
    const second = await connectUnixSocket(path);
    first.write([Buffer.from('one')]);
    second.write([Buffer.from('two')]);
    // Both connections reached the listener before accept() is called, so both were queued.
    await until(() => connections() === 2);
    const acceptedFirst = await listener.accept();
    const acceptedSecond = await listener.accept();
    const a = collect(acceptedFirst);
    const b = collect(acceptedSecond);
    await until(() => a.received() === 3 && b.received() === 3);
    expect(Buffer.from(a.bytes()).toString()).toBe('one');
    expect(Buffer.from(b.bytes()).toString()).toBe('two');
    for (const t of [first, second, acceptedFirst, acceptedSecond]) t.dispose();
  });

  it('rejects pending accepts on close and removes the socket file', async () => {
    const path = join(dir, 'host.sock');
    const listener = await listenUnixSocket(path);
    const pending = expect(listener.accept()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await listener.close();
    await pending;
    await expect(listener.accept()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails clearly when nobody listens or the path is taken', async () => {
    const path = join(dir, 'nobody.sock');
    await expect(connectUnixSocket(path)).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
      message: expect.stringContaining(path),
    });
    const listener = await listenUnixSocket(path);
    cleanups.push(() => listener.close());
    await expect(listenUnixSocket(path)).rejects.toMatchObject({
      code: 'TRANSPORT_ERROR',
      message: expect.stringContaining('EADDRINUSE'),
    });
  });
});
