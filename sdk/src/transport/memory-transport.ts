import { Emitter } from '../common/event.js';
import { setMacrotask } from '../common/timers.js';
import type { Transport, TransportCloseEvent } from './transport.js';

/**
 * Two connected in-process transports, for tests and for `@tether/sdk/testing` (host and plugin in one
 * process). Delivery is asynchronous (one macrotask later), as across a real process boundary, and chunks
 * are copied so neither side can see the other's buffers change.
 */
export function createMemoryTransportPair(): [Transport, Transport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryTransport implements Transport {
  readonly kind = 'memory';
  peer: MemoryTransport | undefined;
  #closed = false;
  readonly #onDidReceive = new Emitter<Uint8Array>();
  readonly #onDidClose = new Emitter<TransportCloseEvent>();
  readonly onDidReceive = this.#onDidReceive.event;
  readonly onDidClose = this.#onDidClose.event;

  get closed(): boolean {
    return this.#closed;
  }

  write(chunks: readonly Uint8Array[]): boolean {
    if (this.#closed) return false;
    const peer = this.peer;
    let size = 0;
    for (const chunk of chunks) size += chunk.byteLength;
    const joined = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      joined.set(chunk, offset);
      offset += chunk.byteLength;
    }
    setMacrotask(() => peer?.deliver(joined));
    return true;
  }

  deliver(chunk: Uint8Array): void {
    if (!this.#closed) this.#onDidReceive.fire(chunk);
  }

  close(): void {
    // Let writes already scheduled arrive first, as a socket would flush before FIN.
    setMacrotask(() => this.#shutdown());
  }

  dispose(): void {
    this.#shutdown();
  }

  #shutdown(event: TransportCloseEvent = {}): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onDidClose.fire(event);
    this.#onDidReceive.dispose();
    this.#onDidClose.dispose();
    const peer = this.peer;
    if (peer !== undefined) setMacrotask(() => peer.#shutdown(event));
  }
}
