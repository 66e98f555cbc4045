import { PROTOCOL_INITIAL_WINDOW } from '../constants.js';

/**
 * The receiving side's credit accounting of one channel. It keeps
 * `peerCredit + unacked + (bytes held by the channel) = size`: what the peer may still send, what was consumed
 * but not yet returned, and what was received but not consumed yet (paused, or no listener).
 *
 * Credit goes back in batches: one WINDOW once `unacked` reaches half the window. The peer then still holds at
 * least half a window of credit, so it never stalls while the receiver keeps up, and a stream of small messages
 * costs one WINDOW frame per half window instead of one per message or per tick.
 */
export class ReceiveWindow {
  readonly size: number;
  readonly #threshold: number;
  #peerCredit = PROTOCOL_INITIAL_WINDOW;
  #unacked = 0;

  constructor(size: number) {
    this.size = size;
    this.#threshold = Math.floor(size / 2);
  }

  /** Bytes of DATA the peer may still send. */
  get peerCredit(): number {
    return this.#peerCredit;
  }

  /** The increment to announce right after OPEN (opener) or on accepting (acceptor); 0 for none. */
  initialGrant(): number {
    const extra = this.size - PROTOCOL_INITIAL_WINDOW;
    if (extra <= 0) return 0;
    this.#peerCredit += extra;
    return extra;
  }

  /** Counts `bytes` of arriving DATA against the credit; false when they exceed it (a protocol violation). */
  receive(bytes: number): boolean {
    if (bytes > this.#peerCredit) return false;
    this.#peerCredit -= bytes;
    return true;
  }

  /** Counts `bytes` as consumed; returns the WINDOW increment to send now, or 0 to keep batching. */
  release(bytes: number): number {
    const unacked = this.#unacked + bytes;
    if (unacked < this.#threshold) {
      this.#unacked = unacked;
      return 0;
    }
    this.#unacked = 0;
    this.#peerCredit += unacked;
    return unacked;
  }
}
