// RPC over WebSocketTransport on a real socket (ws on 127.0.0.1): what the browser UI does with its host.
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../test-support/rejection-of.js';
import { waitFor } from '../test-support/wait-for.js';
import { webSocketPair, type WebSocketPair } from '../test-support/websocket-pair.js';
import type { TransportCloseEvent } from '../transport/transport.js';
import { connectRpc } from './connect-rpc.js';
import { proxy } from './proxy-marker.js';
import type { RpcPeer } from './rpc-peer.js';
import { defineService } from './service.js';

interface Feed {
  /** Calls `onItem` for each of `count` items, then returns how many it sent. */
  push(count: number, onItem: (item: number) => Promise<void>): Promise<number>;
  /** `count` numbers as a stream. */
  numbers(count: number): AsyncIterable<number>;
  echo(bytes: Uint8Array): Promise<Uint8Array>;
  never(): Promise<void>;
}

const feed = defineService<Feed>()('test.feed', {
  methods: { push: {}, numbers: {}, echo: {}, never: {} },
});

const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The browser's side (initiator) and the host's (acceptor, serving `feed`) over one WebSocket. */
async function peers(): Promise<{ host: RpcPeer; sockets: WebSocketPair }> {
  const sockets = await webSocketPair();
  const host = connectRpc(sockets.client, { role: 'initiator' });
  const plugin = connectRpc(sockets.server, { role: 'acceptor' });
  cleanups.push(async () => {
    host.dispose();
    plugin.dispose();
    await sockets.dispose();
  });
  plugin.expose(feed, {
    async push(count, onItem) {
      for (let i = 0; i < count; i++) await onItem(i);
      return count;
    },
    async *numbers(count) {
      for (let i = 0; i < count; i++) yield await Promise.resolve(i);
    },
    echo: (bytes) => Promise.resolve(bytes),
    never: () => new Promise<void>(() => undefined),
  });
  return { host, sockets };
}

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('RPC over WebSocketTransport', () => {
  it('makes calls with a callback, a stream and a 20 MiB binary', async () => {
    const { host } = await peers();
    const remote = host.remote(feed);
    const seen: number[] = [];
    const pushed = await remote.push(
      5,
      proxy((item: number) => {
        seen.push(item);
        return Promise.resolve();
      }),
    );
    expect(pushed).toBe(5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    const numbers: number[] = [];
    for await (const n of await remote.numbers(1000)) numbers.push(n);
    expect(numbers).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const big = pattern(20 * 1024 * 1024, 9);
    const echoed = await remote.echo(big);
    expect(echoed.byteLength).toBe(big.byteLength);
    expect(Buffer.compare(echoed, big)).toBe(0);
  });

  it('rejects pending calls when the peer goes away', async () => {
    const { host, sockets } = await peers();
    const closes: TransportCloseEvent[] = [];
    sockets.client.onDidClose((event) => closes.push(event));
    const pending = host.remote(feed).never();
    await host.ping(); // the call reached the other side
    sockets.serverSocket.terminate();
    const failure = await rejectionOf(pending);
    expect(failure.code).toBe('CONNECTION_CLOSED');
    await waitFor(() => closes.length > 0, { what: 'the transport to close', intervalMs: 1 });
    expect(closes[0]!.error?.message).toMatch(/code 1006/);
  });
});
