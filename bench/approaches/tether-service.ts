// The bench's Tether service: the contract both sides import and the plugin's implementation, written the
// way an extension author would: streams are async generators returned by the plugin or passed to it.
import { defineService, transfer } from '../../sdk/src/index.js';
import type { RpcPeer } from '../../sdk/src/rpc/rpc-peer.js';
import { streamPattern } from '../harness.js';

export interface BenchService {
  add(a: number, b: number): Promise<number>;
  echo(data: Uint8Array): Promise<Uint8Array>;
  /** Calls `callback(n)` once and returns what it returned. */
  callBack(callback: (n: number) => Promise<number>, n: number): Promise<number>;
  /** A stream of `total` bytes, `chunkSize` at a time, to the caller. */
  produce(total: number, chunkSize: number): Promise<AsyncIterable<Uint8Array>>;
  /** Reads `items` to the end; returns the bytes counted. */
  consume(items: AsyncIterable<Uint8Array>): Promise<number>;
}

export const benchService = defineService<BenchService>()('bench.service', {
  methods: { add: {}, echo: {}, callBack: {}, produce: {}, consume: {} },
});

/** Repeats `chunk` until `total` bytes went out. */
// eslint-disable-next-line @typescript-eslint/require-await -- an author's source is an async generator; this one has nothing to await
export async function* repeatChunk(chunk: Uint8Array, total: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += chunk.byteLength) yield chunk;
}

/** Sums the byte lengths of every item. */
export async function countBytes(items: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const item of items) bytes += item.byteLength;
  return bytes;
}

/** Serves the bench service on `peer` (the plugin's side). */
export function serveBenchService(peer: RpcPeer): void {
  peer.expose(benchService, {
    add: (a, b) => Promise.resolve(a + b),
    // The received bytes are this side's own: handed back with transfer(), they are not copied again.
    echo: (data) => Promise.resolve(transfer(data)),
    callBack: (callback, n) => callback(n),
    produce: (total, chunkSize) => Promise.resolve(repeatChunk(streamPattern(chunkSize), total)),
    consume: countBytes,
  });
}
