import { FRAME_HEADER_SIZE } from '../constants.js';
import type { FramingError } from '../errors/errors.js';
import {
  EMPTY_PAYLOAD,
  FrameFlag,
  FrameType,
  GOAWAY_MIN_PAYLOAD_SIZE,
  MAX_LABEL_BYTES,
  PING_PAYLOAD_SIZE,
  WINDOW_PAYLOAD_SIZE,
  frameTypeName,
  isSessionFrameType,
  protocolViolation,
  type FrameType as FrameTypeValue,
} from './frame.js';

/** Receives each complete frame. `payload` may be a view into a transport chunk (the session owns those). */
export type FrameHandler = (
  type: FrameTypeValue,
  flags: number,
  channel: number,
  payload: Uint8Array,
) => void;

export interface FrameDecoderOptions {
  /** Pass DATA payloads that span chunks on in pieces instead of assembling them (see the class). */
  readonly splitData?: boolean;
}

/**
 * A push decoder: feed it transport chunks of any size (down to single bytes, headers split anywhere) and it
 * calls `onFrame` for each complete frame, in order.
 *
 * Every check that needs no session state is made here, on the header, before a byte of payload is buffered:
 * payload length over `maxFrameSize`, unknown type, session frames (PING, GOAWAY) on a channel ≠ 0 and channel
 * frames on channel 0, OPEN label over 255 bytes, WINDOW payload not 4 bytes, PING not 8, GOAWAY under 4.
 * After a violation it reports exactly one FramingError through `onError`, drops what it buffered and ignores
 * all further input. It never buffers more than `FRAME_HEADER_SIZE + maxFrameSize` bytes.
 *
 * A payload that lies entirely inside one pushed chunk is passed on as a subarray of it, without copying.
 *
 * With `splitData`, a DATA payload that spans chunks is not assembled either: each piece is passed on as it
 * arrives, as a DATA frame of its own, every piece but the frame's last with the MORE flag added. That is
 * the same message to a receiver that joins MORE fragments (the mux channel does), one copy fewer for
 * large messages, and nothing of the payload is buffered here.
 */
export class FrameDecoder {
  readonly #maxFrameSize: number;
  readonly #onFrame: FrameHandler;
  readonly #onError: (error: FramingError) => void;
  readonly #header = new Uint8Array(FRAME_HEADER_SIZE);
  #headerFill = 0;
  /** The payload being assembled across chunks, once its header is complete. */
  #payload: Uint8Array | undefined;
  #payloadFill = 0;
  #type: FrameTypeValue = FrameType.Data;
  #flags = 0;
  #channel = 0;
  /** Bytes of the current DATA payload still to come, passed on piece by piece (`splitData`). */
  #dataRemaining = 0;
  readonly #splitData: boolean;
  #stopped = false;
  #failed = false;

  constructor(
    maxFrameSize: number,
    onFrame: FrameHandler,
    onError: (error: FramingError) => void,
    options: FrameDecoderOptions = {},
  ) {
    this.#splitData = options.splitData ?? false;
    this.#maxFrameSize = maxFrameSize;
    this.#onFrame = onFrame;
    this.#onError = onError;
  }

  /**
   * Bytes of the incomplete frame received so far, header included (at most header + maxFrameSize). The
   * payload buffer allocated for it is the header's length, which was checked against maxFrameSize first.
   */
  get bufferedBytes(): number {
    return this.#payload === undefined ? this.#headerFill : FRAME_HEADER_SIZE + this.#payloadFill;
  }

  /** True once a FramingError was reported. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Ignores all further input (the session closed). Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#drop();
  }

  /** Consumes one chunk. Never throws for bad input; reports it through `onError` once. */
  push(chunk: Uint8Array): void {
    const end = chunk.byteLength;
    let offset = 0;
    while (offset < end && !this.#stopped) {
      if (this.#dataRemaining > 0) {
        // Continue a DATA payload passed on in pieces.
        const take = Math.min(this.#dataRemaining, end - offset);
        this.#dataRemaining -= take;
        const flags = this.#dataRemaining > 0 ? this.#flags | FrameFlag.More : this.#flags;
        const piece = chunk.subarray(offset, offset + take);
        offset += take;
        this.#onFrame(FrameType.Data, flags, this.#channel, piece);
        continue;
      }
      const payload = this.#payload;
      if (payload !== undefined) {
        // Continue a payload begun in an earlier chunk.
        const take = Math.min(payload.byteLength - this.#payloadFill, end - offset);
        payload.set(chunk.subarray(offset, offset + take), this.#payloadFill);
        this.#payloadFill += take;
        offset += take;
        if (this.#payloadFill === payload.byteLength) {
          this.#payload = undefined;
          this.#payloadFill = 0;
          this.#onFrame(this.#type, this.#flags, this.#channel, payload);
        }
        continue;
      }

      let length: number;
      if (this.#headerFill === 0 && end - offset >= FRAME_HEADER_SIZE) {
        // Fast path: the whole header is in this chunk.
        length = readU32(chunk, offset);
        this.#type = chunk[offset + 4]! as FrameTypeValue;
        this.#flags = chunk[offset + 5]!;
        this.#channel = readU32(chunk, offset + 6);
        offset += FRAME_HEADER_SIZE;
      } else {
        const take = Math.min(FRAME_HEADER_SIZE - this.#headerFill, end - offset);
        this.#header.set(chunk.subarray(offset, offset + take), this.#headerFill);
        this.#headerFill += take;
        offset += take;
        if (this.#headerFill < FRAME_HEADER_SIZE) return;
        const header = this.#header;
        length = readU32(header, 0);
        this.#type = header[4]! as FrameTypeValue;
        this.#flags = header[5]!;
        this.#channel = readU32(header, 6);
        this.#headerFill = 0;
      }

      const problem = this.#checkHeader(length);
      if (problem !== undefined) {
        this.#fail(problem);
        return;
      }
      if (length === 0) {
        this.#onFrame(this.#type, this.#flags, this.#channel, EMPTY_PAYLOAD);
      } else if (end - offset >= length) {
        const whole = chunk.subarray(offset, offset + length);
        offset += length;
        this.#onFrame(this.#type, this.#flags, this.#channel, whole);
      } else if (this.#splitData && this.#type === FrameType.Data) {
        this.#dataRemaining = length;
      } else {
        this.#payload = new Uint8Array(length);
        this.#payloadFill = 0;
      }
    }
  }

  /** The stateless checks of a header; returns the problem or undefined. */
  #checkHeader(length: number): string | undefined {
    const type = this.#type;
    const channel = this.#channel;
    if (type < FrameType.Open || type > FrameType.GoAway) {
      return `received a frame of unknown type 0x${type.toString(16).padStart(2, '0')} on channel ${channel}`;
    }
    if (length > this.#maxFrameSize) {
      return `received a ${frameTypeName(type)} frame with a payload of ${length} bytes on channel ${channel}, over the maxFrameSize of ${this.#maxFrameSize} bytes`;
    }
    if (isSessionFrameType(type)) {
      if (channel !== 0) {
        return `received a ${frameTypeName(type)} frame on channel ${channel}; ${frameTypeName(type)} belongs to channel 0`;
      }
    } else if (channel === 0) {
      return `received a ${frameTypeName(type)} frame on channel 0, which is reserved for the session`;
    }
    switch (type) {
      case FrameType.Open:
        if (length > MAX_LABEL_BYTES) {
          return `received OPEN for channel ${channel} with a ${length}-byte label; labels are at most ${MAX_LABEL_BYTES} bytes`;
        }
        return undefined;
      case FrameType.Window:
        if (length !== WINDOW_PAYLOAD_SIZE) {
          return `received a WINDOW frame for channel ${channel} with a ${length}-byte payload; it must be ${WINDOW_PAYLOAD_SIZE} bytes`;
        }
        return undefined;
      case FrameType.Ping:
        if (length !== PING_PAYLOAD_SIZE) {
          return `received a PING frame with a ${length}-byte payload; it must be ${PING_PAYLOAD_SIZE} bytes`;
        }
        return undefined;
      case FrameType.GoAway:
        if (length < GOAWAY_MIN_PAYLOAD_SIZE) {
          return `received a GOAWAY frame with a ${length}-byte payload; it must be at least ${GOAWAY_MIN_PAYLOAD_SIZE} bytes`;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  #fail(problem: string): void {
    this.#failed = true;
    this.#stopped = true;
    this.#drop();
    this.#onError(protocolViolation(problem));
  }

  #drop(): void {
    this.#dataRemaining = 0;
    this.#payload = undefined;
    this.#payloadFill = 0;
    this.#headerFill = 0;
  }
}

/** Reads a big-endian u32. */
export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
