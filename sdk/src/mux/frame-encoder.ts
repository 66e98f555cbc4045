import { FRAME_HEADER_SIZE } from '../constants.js';
import { EMPTY_PAYLOAD, FrameType, WINDOW_PAYLOAD_SIZE, type FrameType as FrameTypeValue } from './frame.js';

/** Size of the shared buffers small frames are packed into. */
const SLAB_SIZE = 64 * 1024;

/**
 * Payloads shorter than this are copied into the shared buffer next to their header; longer ones are passed
 * to the transport as their own chunk, uncopied. (A copy of a few KiB costs less than an extra chunk.)
 */
export const COPY_THRESHOLD = 4096;

/**
 * Collects the frames of one tick so the session can hand them to the transport in ONE `write` call.
 *
 * Headers and small payloads are packed back to back into a shared 64 KiB buffer (a "slab"); each `take()`
 * hands out the filled part as a subarray and keeps writing after it, so a slab serves many ticks and bytes
 * already handed out are never touched again. Large payloads go out as their own chunk, uncopied: the caller
 * must not modify them afterwards (the transport may retain chunks until written).
 */
export class FrameEncoder {
  #chunks: Uint8Array[] = [];
  #slab = new Uint8Array(SLAB_SIZE);
  #start = 0;
  #pos = 0;
  #pendingBytes = 0;

  /** Bytes queued since the last `take()`. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Queues one frame; a payload given as parts is their concatenation (large parts stay uncopied). */
  frame(
    type: FrameTypeValue,
    flags: number,
    channel: number,
    payload: Uint8Array | readonly Uint8Array[] = EMPTY_PAYLOAD,
  ): void {
    if (!(payload instanceof Uint8Array)) {
      this.#frameParts(type, flags, channel, payload);
      return;
    }
    const length = payload.byteLength;
    if (length < COPY_THRESHOLD) {
      this.#reserve(FRAME_HEADER_SIZE + length);
      const at = this.#pos;
      writeHeader(this.#slab, at, length, type, flags, channel);
      if (length > 0) this.#slab.set(payload, at + FRAME_HEADER_SIZE);
      this.#pos = at + FRAME_HEADER_SIZE + length;
    } else {
      this.#reserve(FRAME_HEADER_SIZE);
      writeHeader(this.#slab, this.#pos, length, type, flags, channel);
      this.#pos += FRAME_HEADER_SIZE;
      this.#cut();
      this.#chunks.push(payload);
    }
    this.#pendingBytes += FRAME_HEADER_SIZE + length;
  }

  #frameParts(type: FrameTypeValue, flags: number, channel: number, parts: readonly Uint8Array[]): void {
    let length = 0;
    for (const part of parts) length += part.byteLength;
    this.#reserve(FRAME_HEADER_SIZE);
    writeHeader(this.#slab, this.#pos, length, type, flags, channel);
    this.#pos += FRAME_HEADER_SIZE;
    for (const part of parts) {
      const size = part.byteLength;
      if (size < COPY_THRESHOLD) {
        if (size === 0) continue;
        this.#reserve(size);
        this.#slab.set(part, this.#pos);
        this.#pos += size;
      } else {
        this.#cut();
        this.#chunks.push(part);
      }
    }
    this.#pendingBytes += FRAME_HEADER_SIZE + length;
  }

  /** Queues a WINDOW frame (written in place, no payload allocation). */
  window(channel: number, increment: number): void {
    this.#reserve(FRAME_HEADER_SIZE + WINDOW_PAYLOAD_SIZE);
    const slab = this.#slab;
    const at = this.#pos;
    writeHeader(slab, at, WINDOW_PAYLOAD_SIZE, FrameType.Window, 0, channel);
    writeU32(slab, at + FRAME_HEADER_SIZE, increment);
    this.#pos = at + FRAME_HEADER_SIZE + WINDOW_PAYLOAD_SIZE;
    this.#pendingBytes += FRAME_HEADER_SIZE + WINDOW_PAYLOAD_SIZE;
  }

  /** Everything queued since the last call, in order, as chunks for one `transport.write`. */
  take(): Uint8Array[] {
    this.#cut();
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#pendingBytes = 0;
    return chunks;
  }

  /** Drops everything queued. */
  clear(): void {
    this.#chunks = [];
    this.#start = this.#pos;
    this.#pendingBytes = 0;
  }

  #reserve(bytes: number): void {
    if (this.#slab.byteLength - this.#pos >= bytes) return;
    this.#cut();
    this.#slab = new Uint8Array(Math.max(SLAB_SIZE, bytes));
    this.#start = 0;
    this.#pos = 0;
  }

  /** Moves the filled, not yet handed out part of the slab to the chunk list. */
  #cut(): void {
    if (this.#pos === this.#start) return;
    this.#chunks.push(this.#slab.subarray(this.#start, this.#pos));
    this.#start = this.#pos;
  }
}

/** One frame as a fresh buffer (tests, diagnostics, crafting raw frames). */
export function encodeFrame(
  type: number,
  flags: number,
  channel: number,
  payload: Uint8Array = EMPTY_PAYLOAD,
): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER_SIZE + payload.byteLength);
  writeHeader(bytes, 0, payload.byteLength, type, flags, channel);
  bytes.set(payload, FRAME_HEADER_SIZE);
  return bytes;
}

/** A u32, big-endian, as 4 bytes. */
export function u32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  writeU32(bytes, 0, value);
  return bytes;
}

function writeHeader(
  target: Uint8Array,
  at: number,
  length: number,
  type: number,
  flags: number,
  channel: number,
): void {
  writeU32(target, at, length);
  target[at + 4] = type;
  target[at + 5] = flags;
  writeU32(target, at + 6, channel);
}

function writeU32(target: Uint8Array, at: number, value: number): void {
  target[at] = value >>> 24;
  target[at + 1] = value >>> 16;
  target[at + 2] = value >>> 8;
  target[at + 3] = value;
}
