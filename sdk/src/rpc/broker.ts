import type { MuxSession } from '../mux/mux-session.js';
import type { MuxRole } from '../mux/mux-types.js';
import { TetherError } from '../errors/tether-error.js';
import { ChannelRendezvous } from './channel-rendezvous.js';
import { nodeStreamAdapter } from './node-stream-adapter.js';
import type { ChannelDuplex } from './node/channel-duplex.js';
import { BROKER_CHANNEL_PREFIX } from './rpc-protocol.js';
import type { MuxChannel } from '../mux/mux-types.js';

/**
 * Raw byte channels by id, from either side (go-plugin's MuxBroker): one side calls `accept(id)`, the other
 * `open(id)`, and both get a Node Duplex — for piping files or any bytes, with backpressure, over the same
 * connection. Ids come from `nextId()` (odd on the initiator, even on the acceptor, so they never collide)
 * and are usually passed to the other side in an ordinary call.
 *
 * Node only: elsewhere (a browser, or `@tether/sdk/common` alone) `open` and `accept` fail with
 * `BROKER_ERROR`, and channels the peer opens are reset when nobody claims them.
 */
export class Broker {
  #nextId: number;
  readonly #rendezvous: ChannelRendezvous<ChannelDuplex>;

  constructor(session: MuxSession, role: MuxRole, acceptTimeoutMs: number) {
    this.#nextId = role === 'initiator' ? 1 : 2;
    this.#rendezvous = new ChannelRendezvous(
      session,
      BROKER_CHANNEL_PREFIX,
      // open() and accept() checked that the adapter is there before any channel is wrapped.
      (channel) => nodeStreamAdapter()!.toDuplex(channel),
      acceptTimeoutMs,
    );
  }

  /** A fresh id for a new broker channel. */
  nextId(): number {
    const id = this.#nextId;
    this.#nextId += 2;
    return id;
  }

  /** Opens the channel `id`; the peer gets it from `accept(id)`. */
  open(id: number): ChannelDuplex {
    checkNode();
    return this.#rendezvous.open(String(checkId(id)));
  }

  /** Waits for the peer to open channel `id` (rejects after the accept timeout or when the connection closes). */
  accept(id: number, timeoutMs?: number): Promise<ChannelDuplex> {
    try {
      checkNode();
      return this.#rendezvous.accept(String(checkId(id)), timeoutMs);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** @internal Called by the peer for each broker channel the other side opened. */
  handleChannel(channel: MuxChannel): void {
    this.#rendezvous.handleChannel(channel, (key) => /^[1-9][0-9]{0,15}$/.test(key));
  }

  /** @internal Rejects every pending accept; called when the connection closes. */
  close(reason: Error): void {
    this.#rendezvous.close(reason);
  }
}

function checkNode(): void {
  if (nodeStreamAdapter() === undefined) {
    throw new TetherError(
      'BROKER_ERROR',
      'Broker channels are Node Duplex streams, and this runtime has none (or only @tether/sdk/common was imported). Send a ReadableStream, WritableStream or async iterable in a call instead, or import @tether/sdk/wire in Node.',
    );
  }
}

function checkId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TetherError('BROKER_ERROR', `Broker channel id must be a positive integer, got ${String(id)}.`);
  }
  return id;
}
