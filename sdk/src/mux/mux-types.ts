import type { Event } from '../common/event.js';
import type { TetherError } from '../errors/tether-error.js';

/**
 * Which end of the session this is. The initiator (the host) allocates odd channel ids, the acceptor
 * (the plugin) even ones, so both sides can open channels without coordination. Channel 0 is the session.
 */
export type MuxRole = 'initiator' | 'acceptor';

/** Options of a mux session; every field is optional and validated (see `mux-options.ts`). */
export interface MuxSessionOptions {
  readonly role: MuxRole;
  /** Largest frame payload sent or accepted, bytes. */
  readonly maxFrameSize?: number;
  /** Largest reassembled message on a channel, bytes. */
  readonly maxMessageSize?: number;
  /**
   * Most bytes of half-received messages held across all channels, bytes (at least `maxMessageSize`);
   * past it the session closes with a FramingError.
   */
  readonly maxReassemblyBytes?: number;
  /** Most channels open at once (both directions). */
  readonly maxChannels?: number;
  /** Initial receive window of each channel, bytes. */
  readonly channelWindow?: number;
}

/** Why a channel or session closed. `error` is absent for an orderly close. */
export interface MuxCloseEvent {
  readonly error?: TetherError;
}

/**
 * One logical, message-oriented, flow-controlled channel of a mux session. Either side may open one;
 * both can send until each has ended its direction.
 *
 * Sending: `send` never throws for backpressure; it queues when the peer's credit is exhausted and returns
 * false once `bufferedAmount` reaches the window, like `stream.write`. Wait for `onDidDrain` before sending
 * more. Messages larger than a frame are fragmented and reassembled transparently.
 *
 * Receiving: in flowing mode (the default) each message is delivered to `onDidReceive` listeners and its
 * credit is returned at once. After `pause()`, arriving messages are queued (at most one window's worth,
 * since the peer respects credit) and no credit is returned until `resume()` delivers them.
 */
export interface MuxChannel {
  /** Channel id: odd when opened by the initiator, even when opened by the acceptor. */
  readonly id: number;
  /** The label given to `openChannel` (e.g. 'rpc', 'stream', 'broker:7'). */
  readonly label: string;
  /** True when this side opened the channel. */
  readonly isLocal: boolean;
  /** Bytes queued locally because the peer has not granted credit for them yet. */
  readonly bufferedAmount: number;
  /**
   * Bytes received but held back (paused, or no `onDidReceive` listener yet) whose credit has not been
   * returned to the peer. Never more than the channel window.
   */
  readonly receiveBufferedAmount: number;
  /** True while this side may still send (not ended, not closed). */
  readonly writable: boolean;
  /** True once the channel is fully closed (both directions ended, or reset, or the session is gone). */
  readonly closed: boolean;
  /**
   * Sends one message. Returns false when the caller should wait for `onDidDrain`. Throws ChannelClosedError
   * after end/close, TetherError('MESSAGE_TOO_LARGE') over `maxMessageSize`. Large messages are not copied:
   * do not modify `message` afterwards (as with `stream.write`). An array of parts is sent as ONE message,
   * their concatenation, without joining them first (a small header and a large payload: no copy of the
   * payload); the receiver sees one Uint8Array.
   */
  send(message: Uint8Array | readonly Uint8Array[]): boolean;
  /** Fires when `bufferedAmount` drops below the window again after `send` returned false. */
  readonly onDidDrain: Event<void>;
  /**
   * One whole message from the peer. While no listener is attached, messages are held (as if paused) and
   * delivered once one is.
   */
  readonly onDidReceive: Event<Uint8Array>;
  /** Stops delivering messages and returning credit (backpressure towards the peer). */
  pause(): void;
  /** Delivers queued messages (from a microtask, in order) and returns their credit. */
  resume(): void;
  readonly isPaused: boolean;
  /** Ends this side's direction (half-close, FIN) after queued messages are sent. Idempotent. */
  end(): void;
  /** The peer ended its direction: no more messages will arrive. */
  readonly onDidEnd: Event<void>;
  /** Aborts both directions at once; queued data is dropped and the peer gets the reason. Idempotent. */
  reset(reason?: string): void;
  /** Fires once when the channel is fully closed; `error` is set for a reset or a lost session. */
  readonly onDidClose: Event<MuxCloseEvent>;
}
