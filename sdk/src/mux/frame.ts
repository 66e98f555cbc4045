/**
 * The mux frame: a 10-byte header followed by `length` payload bytes, all integers big-endian.
 *
 * ```text
 * offset 0  u32 length    payload bytes (not counting the header)
 * offset 4  u8  type      FrameType
 * offset 5  u8  flags     FrameFlag bits; undefined bits are sent as 0 and ignored
 * offset 6  u32 channel   channel id; 0 is the session itself
 * offset 10 payload
 * ```
 *
 * See PROTOCOL-SECTION.md for the full protocol.
 */

import { FramingError } from '../errors/errors.js';

export { FRAME_HEADER_SIZE } from '../constants.js';

/** Frame types. */
export const FrameType = {
  /** Opens channel `id`; payload: UTF-8 label (≤ 255 bytes). */
  Open: 0x01,
  /** Message bytes; flag MORE: the message continues in the next DATA frame of the channel. */
  Data: 0x02,
  /** Payload u32: credit increment in bytes for the channel. */
  Window: 0x03,
  /** The sender sends no more DATA on the channel (half-close). */
  End: 0x04,
  /** Aborts the channel in both directions; payload: UTF-8 reason (may be empty). */
  Reset: 0x05,
  /** Session liveness; payload: 8 opaque bytes, echoed in the reply (flag ACK). */
  Ping: 0x06,
  /** The sender closes the connection after it; payload: u32 code + UTF-8 reason. */
  GoAway: 0x07,
} as const;

export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Flag bits. */
export const FrameFlag = {
  /** DATA: the message continues in the next DATA frame of this channel. */
  More: 0x01,
  /** PING: this frame is the reply. */
  Ack: 0x02,
} as const;

/** GOAWAY codes. */
export const GoAwayCode = {
  Normal: 0,
  ProtocolError: 1,
  InternalError: 2,
} as const;

export type GoAwayCode = (typeof GoAwayCode)[keyof typeof GoAwayCode];

/** Longest channel label, in UTF-8 bytes. */
export const MAX_LABEL_BYTES = 255;

/** Length of a WINDOW payload (u32 increment). */
export const WINDOW_PAYLOAD_SIZE = 4;

/** Length of a PING payload. */
export const PING_PAYLOAD_SIZE = 8;

/** Smallest GOAWAY payload (u32 code, empty reason). */
export const GOAWAY_MIN_PAYLOAD_SIZE = 4;

/**
 * Longest reason this implementation puts into a RESET or GOAWAY frame (UTF-8 bytes, truncated on a character
 * boundary). Keeps control frames well under the smallest allowed `maxFrameSize`.
 */
export const MAX_REASON_BYTES = 900;

/** Largest credit a channel may hold (u32). */
export const MAX_CREDIT = 0xffff_ffff;

/** Largest channel id (u32). */
export const MAX_CHANNEL_ID = 0xffff_ffff;

/** One decoded frame (used by tests and diagnostics; the session's hot path receives the fields directly). */
export interface Frame {
  readonly type: FrameType;
  readonly flags: number;
  readonly channel: number;
  readonly payload: Uint8Array;
}

const typeNames: Record<number, string> = {
  [FrameType.Open]: 'OPEN',
  [FrameType.Data]: 'DATA',
  [FrameType.Window]: 'WINDOW',
  [FrameType.End]: 'END',
  [FrameType.Reset]: 'RESET',
  [FrameType.Ping]: 'PING',
  [FrameType.GoAway]: 'GOAWAY',
};

/** 'DATA', 'WINDOW', … or 'unknown (0x2a)'. */
export function frameTypeName(type: number): string {
  return typeNames[type] ?? `unknown (0x${type.toString(16).padStart(2, '0')})`;
}

/** True for the types that belong to channel 0 (the session). */
export function isSessionFrameType(type: number): boolean {
  return type === FrameType.Ping || type === FrameType.GoAway;
}

export const EMPTY_PAYLOAD: Uint8Array = new Uint8Array(0);

/** The error that closes a session when the peer breaks the protocol; `problem` starts with what was received. */
export function protocolViolation(problem: string): FramingError {
  return new FramingError(
    `Mux protocol violation: ${problem}. The session was closed; check that both sides run compatible Tether versions with the same maxFrameSize.`,
  );
}
