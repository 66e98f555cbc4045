// A stream for RPC libraries that have no stream concept (vscode-jsonrpc, birpc, comlink): what a user of
// one writes. The sender exposes `next()`, which hands out one chunk per call and then an end marker; the
// receiver keeps a few `next()` calls in flight (so a round trip per chunk does not idle the line) and
// counts the bytes. Backpressure is implicit: the sender hands out a chunk only when asked for one.

/** How many `next()` calls the receiver keeps outstanding. */
export const PULL_AHEAD = 4;

/** The sender's side of one stream: `next()` returns `chunk` until `total` bytes went out, then null. */
export class ChunkSource {
  #left: number;
  readonly #chunk: Uint8Array;

  constructor(chunk: Uint8Array, total: number) {
    this.#chunk = chunk;
    this.#left = total;
  }

  next(): Uint8Array | null {
    if (this.#left <= 0) return null;
    this.#left -= this.#chunk.byteLength;
    return this.#chunk;
  }
}

/** The receiver's side: pulls until a `next()` returns the end (null), with {@link PULL_AHEAD} in flight. */
export async function pullAll(next: () => Promise<{ readonly byteLength: number } | null>): Promise<number> {
  let bytes = 0;
  let ended = false;
  const puller = async (): Promise<void> => {
    while (!ended) {
      const chunk = await next();
      if (chunk === null) ended = true;
      else bytes += chunk.byteLength;
    }
  };
  await Promise.all(Array.from({ length: PULL_AHEAD }, puller));
  return bytes;
}
