import type { Disposable } from '../common/disposable.js';
import type { Event } from '../common/event.js';

/** Why a transport closed. `error` is absent when the close was orderly (either side called `close`). */
export interface TransportCloseEvent {
  readonly error?: Error;
}

/**
 * A duplex connection between two processes that carries bytes. Chunk boundaries carry no meaning:
 * a byte-stream transport may split or join chunks; a message transport happens to keep them.
 *
 * The mux layer sits on top and does all framing and flow control, so a transport never needs to pause
 * reading: the peer can only send what the mux's credit windows allow.
 */
export interface Transport extends Disposable {
  /** Short name for diagnostics: 'stream', 'message-port', … */
  readonly kind: string;
  /** True once closed (orderly or not). Writes after that are dropped. */
  readonly closed: boolean;
  /**
   * Sends the chunks, in order, as one write (the caller coalesces frames of one tick into one call).
   * Returns false when the underlying buffer is above its high-water mark (informational only).
   * The chunks may be retained until written: the caller must not modify them afterwards.
   */
  write(chunks: readonly Uint8Array[]): boolean;
  /** Bytes arrived from the peer. The chunk is owned by the listener (it is not reused). */
  readonly onDidReceive: Event<Uint8Array>;
  /** Fires once when the connection ends, for any reason. */
  readonly onDidClose: Event<TransportCloseEvent>;
  /** Ends the connection in an orderly way after pending writes are flushed. Idempotent. */
  close(): void;
  /** Tears the connection down at once (pending writes may be lost). Idempotent. Fires onDidClose. */
  dispose(): void;
}
