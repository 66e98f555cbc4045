import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_PENDING_CALLS,
  DEFAULT_MAX_VALUE_DEPTH,
  DEFAULT_STREAM_HIGH_WATER_MARK,
  DEFAULT_UNRESPONSIVE_MS,
  UNCLAIMED_CHANNEL_TIMEOUT_MS,
} from '../constants.js';
import { TetherError } from '../errors/tether-error.js';

/** Options of an RPC peer. Every field is optional; see constants.ts for the defaults. */
export interface RpcPeerOptions {
  /** Name of the other side in error messages, e.g. 'plugin "greeter"'. */
  readonly peerName?: string;
  /** Default timeout of every call in ms (0 = none). A method's own timeout and withCallOptions override it. */
  readonly timeout?: number;
  /** Most calls waiting for an answer at once. */
  readonly maxPendingCalls?: number;
  /** Stream items buffered ahead of a slow consumer before the producer is paused. */
  readonly streamHighWaterMark?: number;
  /** How long a broker channel or stream channel waits to be claimed, ms. */
  readonly claimTimeout?: number;
  /** Deepest nesting of a value sent or received. */
  readonly maxValueDepth?: number;
  /**
   * Acknowledge the calls this side dispatches with ACK messages (protocol.md section 4.8) from the start.
   * Only for a peer known to ask for them: an older peer closes the connection on an ACK. The plugin layer
   * switches this on through `sendAcks()` when the handshake negotiated it. Default false.
   */
  readonly sendAcks?: boolean;
  /**
   * Expect ACKs for the calls this side sends, and track responsiveness (`responsive`,
   * `onDidChangeResponsiveness`) from the start. Only for a peer known to send them; the plugin layer
   * switches this on through `expectAcks()` when the handshake negotiated it. Default false.
   */
  readonly expectAcks?: boolean;
  /**
   * While acks are expected: how long calls may stay unacknowledged before the peer counts as unresponsive
   * (ms; see `DEFAULT_UNRESPONSIVE_MS`). It is flagged between this and 1.25 × this after its last sign of
   * life.
   */
  readonly unresponsiveMs?: number;
  /**
   * Builds the error pending calls reject with when the connection is lost (default: ConnectionClosedError).
   * The plugin client uses it to say the plugin process exited. `where` names the call, e.g. 'kv.get'.
   */
  readonly closedError?: (where: string, cause: Error | undefined) => Error;
  /**
   * Called once per completed call, outgoing and incoming (for an RPC inspector). Read on each call, so it
   * can be switched on and off; costs nothing when it returns undefined.
   */
  readonly tracer?: () => ((trace: RpcTrace) => void) | undefined;
}

/** One call, as the tracer sees it. */
export interface RpcTrace {
  /** 'outgoing': this side called; 'incoming': the other side called a service or reference of this side. */
  readonly direction: 'outgoing' | 'incoming';
  /** Service name, or `reference` for a callback or an object passed by reference. */
  readonly service: string;
  readonly method: string;
  readonly durationMs: number;
  /** Bytes of the encoded request and answer together (`bytesOut + bytesIn`). */
  readonly bytes: number;
  /** Bytes this side sent for the call (the request when outgoing, the answer when incoming). */
  readonly bytesOut: number;
  /** Bytes this side received for the call (the answer when outgoing, the request when incoming). */
  readonly bytesIn: number;
  /** The error code (or message) when the call failed. */
  readonly error?: string;
}

export type ResolvedRpcPeerOptions = Required<Omit<RpcPeerOptions, 'closedError' | 'tracer'>> &
  Pick<RpcPeerOptions, 'closedError' | 'tracer'>;

export function resolveRpcPeerOptions(options: RpcPeerOptions = {}): ResolvedRpcPeerOptions {
  return {
    peerName: options.peerName ?? 'the peer',
    timeout: check('timeout', options.timeout ?? DEFAULT_CALL_TIMEOUT_MS, 0, 2 ** 31 - 1),
    maxPendingCalls: check(
      'maxPendingCalls',
      options.maxPendingCalls ?? DEFAULT_MAX_PENDING_CALLS,
      1,
      1_000_000,
    ),
    streamHighWaterMark: check(
      'streamHighWaterMark',
      options.streamHighWaterMark ?? DEFAULT_STREAM_HIGH_WATER_MARK,
      1,
      1_000_000,
    ),
    claimTimeout: check('claimTimeout', options.claimTimeout ?? UNCLAIMED_CHANNEL_TIMEOUT_MS, 1, 2 ** 31 - 1),
    maxValueDepth: check('maxValueDepth', options.maxValueDepth ?? DEFAULT_MAX_VALUE_DEPTH, 1, 10_000),
    sendAcks: flag('sendAcks', options.sendAcks),
    expectAcks: flag('expectAcks', options.expectAcks),
    unresponsiveMs: check(
      'unresponsiveMs',
      options.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS,
      1,
      2 ** 31 - 1,
    ),
    ...(options.closedError === undefined ? {} : { closedError: options.closedError }),
    ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
  };
}

function flag(name: string, value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TetherError(
      'INVALID_OPTIONS',
      `RPC option ${name} must be true or false, got ${String(value)}.`,
    );
  }
  return value === true;
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `RPC option ${name} must be an integer from ${min} to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}
