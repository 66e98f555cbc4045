// WebSocketTransport over real sockets: ws's WebSocketServer on 127.0.0.1 and ws clients, in Node. (RPC over
// it: rpc/websocket-rpc.test.ts.)
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, type ServerOptions } from 'ws';
import { isTetherError } from '../errors/tether-error.js';
import { rejectionOf } from '../test-support/rejection-of.js';
import { waitFor } from '../test-support/wait-for.js';
import {
  RecordingWebSocket,
  listenWebSocket,
  webSocketPair,
  type WebSocketListener,
  type WebSocketPair,
} from '../test-support/websocket-pair.js';
import type { TransportCloseEvent } from './transport.js';
import { WebSocketTransport } from './websocket-transport.js';

const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition), intervalMs: 1 });
}

function pattern(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

function joined(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

async function pair(): Promise<WebSocketPair> {
  const sockets = await webSocketPair();
  cleanups.push(() => sockets.dispose());
  return sockets;
}

async function listen(options: ServerOptions = {}): Promise<WebSocketListener> {
  const listener = await listenWebSocket(options);
  cleanups.push(() => listener.close());
  return listener;
}

function record(transport: WebSocketTransport): { messages: Uint8Array[]; closes: TransportCloseEvent[] } {
  const messages: Uint8Array[] = [];
  const closes: TransportCloseEvent[] = [];
  transport.onDidReceive((message) => messages.push(message));
  transport.onDidClose((event) => closes.push(event));
  return { messages, closes };
}

const sizes = [1, 10, 1000, 65_536, 1024 * 1024, 8 * 1024 * 1024];
const socketEvents = ['message', 'close', 'error'] as const;

describe('WebSocketTransport over ws sockets', () => {
  it('delivers 1 byte to 8 MiB intact and in order, one message per write, both ways', async () => {
    const { client, server } = await pair();
    const atClient = record(client);
    const atServer = record(server);
    const expected: Uint8Array[] = [];
    let seed = 0;
    for (const size of sizes) {
      const parts = [pattern(10, seed++), pattern(size, seed++), pattern(3, seed++)];
      expect(typeof client.write(parts)).toBe('boolean');
      expected.push(joined(parts));
      const slab = pattern(size + 64, seed++);
      client.write([slab.subarray(32, 32 + size)]); // a view into a larger buffer: only the view travels
      expected.push(slab.slice(32, 32 + size));
    }
    server.write([pattern(3, 1)]);
    await until(() => atServer.messages.length === expected.length && atClient.messages.length === 1);
    atServer.messages.forEach((message, i) => {
      expect(message).toBeInstanceOf(Uint8Array);
      expect(Buffer.compare(message, expected[i]!)).toBe(0);
    });
    expect(atClient.messages[0]).toEqual(pattern(3, 1));
  });

  it('holds messages that arrive before the first listener and delivers them to it', async () => {
    const { client, server, clientSocket } = await pair();
    let arrived = 0;
    clientSocket.on('message', () => arrived++);
    server.write([pattern(5, 1)]);
    server.write([pattern(6, 2)]);
    await until(() => arrived === 2);
    const atClient = record(client);
    await until(() => atClient.messages.length === 2);
    expect(atClient.messages).toEqual([pattern(5, 1), pattern(6, 2)]);
  });

  it('close delivers what was written, then fires onDidClose once on both sides without an error', async () => {
    const { client, server, clientSocket, serverSocket } = await pair();
    const atClient = record(client);
    const atServer = record(server);
    const before = socketEvents.map((event) => clientSocket.listenerCount(event));
    client.write([pattern(8 * 1024 * 1024, 5)]);
    client.write([pattern(7, 6)]);
    client.close();
    expect(client.closed).toBe(true);
    expect(client.write([pattern(1, 1)])).toBe(false);
    client.close();
    await until(() => atClient.closes.length > 0 && atServer.closes.length > 0);
    expect(atServer.messages.map((m) => m.byteLength)).toEqual([8 * 1024 * 1024, 7]);
    expect(atClient.closes).toEqual([{}]);
    expect(atServer.closes).toEqual([{}]);
    expect(server.closed).toBe(true);
    expect(server.write([pattern(1, 1)])).toBe(false);
    await until(() => serverSocket.readyState === WebSocket.CLOSED);
    // The transport's listeners are gone (the count before includes them), but for the one that keeps a late
    // 'error' from being thrown.
    expect(socketEvents.map((event) => clientSocket.listenerCount(event))).toEqual([
      before[0]! - 1,
      before[1]! - 1,
      before[2],
    ]);
  });

  it('dispose is idempotent, fires onDidClose once, and the peer sees a close', async () => {
    const { client, server } = await pair();
    const atClient = record(client);
    const atServer = record(server);
    client.dispose();
    client.dispose();
    expect(atClient.closes).toEqual([{}]);
    expect(client.write([pattern(1, 1)])).toBe(false);
    await until(() => atServer.closes.length > 0);
    expect(atServer.closes).toHaveLength(1);
    client.dispose();
    expect(atClient.closes).toEqual([{}]);
  });

  it('write returns false above the high-water mark (bufferedAmount), and true again once drained', async () => {
    const { client, server, serverSocket } = await pair();
    const atServer = record(server);
    serverSocket.pause(); // the server stops reading: the client's bytes pile up in its socket
    const chunk = pattern(1024 * 1024, 3);
    let written = 0;
    let accepted = true;
    while (accepted && written < 256) {
      accepted = client.write([chunk]);
      written++;
    }
    expect(accepted).toBe(false);
    serverSocket.resume();
    await until(() => atServer.messages.length === written);
    await until(() => client.write([])); // nothing sent: only asks
    expect(client.write([pattern(1, 1)])).toBe(true);
    await until(() => atServer.messages.length === written + 1);
  });

  it('closes with PROTOCOL_ERROR on a text message, and closes the socket with 1003', async () => {
    const { client, serverSocket } = await pair();
    const atClient = record(client);
    const serverClosed = new Promise<number>((resolve) => serverSocket.once('close', resolve));
    serverSocket.send('hello');
    await until(() => atClient.closes.length > 0);
    const error = atClient.closes[0]!.error;
    expect(isTetherError(error, 'PROTOCOL_ERROR')).toBe(true);
    expect(error!.message).toMatch(/text WebSocket message/);
    expect(await serverClosed).toBe(1003);
    expect(atClient.closes).toHaveLength(1);
  });

  it('closes with TRANSPORT_ERROR (1006) when the peer goes away without a closing handshake', async () => {
    const { client, serverSocket } = await pair();
    const atClient = record(client);
    serverSocket.terminate();
    await until(() => atClient.closes.length > 0);
    const error = atClient.closes[0]!.error;
    expect(isTetherError(error, 'TRANSPORT_ERROR')).toBe(true);
    expect(error!.message).toMatch(/code 1006.*went away/);
  });

  it('refuses a socket that is not open', () => {
    const socket = new WebSocket('ws://127.0.0.1:9/never');
    socket.on('error', () => undefined);
    cleanups.push(() => socket.terminate());
    expect(() => new WebSocketTransport(socket)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('CONNECTING') }),
    );
  });
});

describe('WebSocketTransport.connect', () => {
  it('rejects with AUTH_FAILED when the server refuses the upgrade with 403, without quoting the token', async () => {
    const { url } = await listen({ verifyClient: (_info, done) => done(false, 403, 'Forbidden') });
    const failure = await rejectionOf(
      WebSocketTransport.connect(`${url}?token=s3cret`, { WebSocket: RecordingWebSocket }),
    );
    expect(failure.code).toBe('AUTH_FAILED');
    expect(failure.message).toMatch(/HTTP 403.*token.*origin/);
    expect(failure.message).toContain(url);
    expect(failure.message).not.toContain('s3cret');
  });

  it('rejects with TRANSPORT_ERROR naming the status for another refusal (404)', async () => {
    const { url } = await listen({ verifyClient: (_info, done) => done(false, 404, 'Not Found') });
    const failure = await rejectionOf(WebSocketTransport.connect(url, { WebSocket: RecordingWebSocket }));
    expect(failure.code).toBe('TRANSPORT_ERROR');
    expect(failure.message).toMatch(/HTTP 404/);
  });

  it('rejects with TRANSPORT_ERROR when nobody listens', async () => {
    const { url, close } = await listen();
    await close();
    const failure = await rejectionOf(WebSocketTransport.connect(url, { WebSocket: RecordingWebSocket }));
    expect(failure.code).toBe('TRANSPORT_ERROR');
    expect(failure.message).toMatch(/Could not open a WebSocket.*ECONNREFUSED.*host is running/);
  });

  /** A TCP server that accepts connections and never answers: an upgrade that hangs. */
  async function silentServer(): Promise<string> {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    return `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
  }

  it('rejects with TIMEOUT when the socket does not open in time', async () => {
    const url = await silentServer();
    const failure = await rejectionOf(
      WebSocketTransport.connect(url, { WebSocket: RecordingWebSocket, timeoutMs: 100 }),
    );
    expect(failure.code).toBe('TIMEOUT');
    expect(failure.message).toMatch(/did not open within 100 ms/);
    await until(() => RecordingWebSocket.created.at(-1)!.readyState === WebSocket.CLOSED);
  });

  it('rejects with ABORTED when the signal aborts, before or while connecting', async () => {
    const url = await silentServer();
    const before = await rejectionOf(
      WebSocketTransport.connect(url, { WebSocket: RecordingWebSocket, signal: AbortSignal.abort() }),
    );
    expect(before.code).toBe('ABORTED');
    const controller = new AbortController();
    const connecting = WebSocketTransport.connect(url, {
      WebSocket: RecordingWebSocket,
      signal: controller.signal,
    });
    controller.abort(new Error('the user left'));
    const during = await rejectionOf(connecting);
    expect(during.code).toBe('ABORTED');
    expect((during.cause as Error).message).toBe('the user left');
  });

  it('rejects with INVALID_OPTIONS when the runtime has no WebSocket', async () => {
    vi.stubGlobal('WebSocket', undefined);
    cleanups.push(() => vi.unstubAllGlobals());
    const failure = await rejectionOf(WebSocketTransport.connect('ws://127.0.0.1:9/'));
    expect(failure.code).toBe('INVALID_OPTIONS');
    expect(failure.message).toMatch(/no WebSocket.*'ws' package/);
  });
});
