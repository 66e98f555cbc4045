// Framing of the raw Unix floor: a 4-byte big-endian payload length, a 1-byte type, the payload. Small
// frames are corked per tick (one write for many); a stream's data frames are counted as they pass, never
// reassembled (the socket's own bandwidth is the floor), while other frames are handed over whole.
import { once } from 'node:events';
import type { Socket } from 'node:net';

export const FrameType = {
  /** Echoed by the child (small call and 1 MiB echo). */
  Echo: 0,
  /** One stream chunk: counted by the receiver. */
  Data: 1,
  /** The end of a stream. */
  End: 2,
  /** Host → child: stream `total` bytes (float64) in chunks of `chunkSize` (uint32) to me. */
  Produce: 3,
  /** Child → host: the bytes (float64) the child counted of the stream the host sent. */
  Count: 4,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

const HEADER_SIZE = 5;

function header(type: FrameType, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(HEADER_SIZE);
  bytes.writeUInt32BE(length, 0);
  bytes[4] = type;
  return bytes;
}

/** Sends frames; every frame of one tick goes in one corked write. */
export function frameSender(socket: Socket): (type: FrameType, payload: Uint8Array) => void {
  let corked = false;
  return (type, payload) => {
    if (!corked) {
      corked = true;
      socket.cork();
      queueMicrotask(() => {
        corked = false;
        socket.uncork();
      });
    }
    socket.write(header(type, payload.byteLength));
    socket.write(payload);
  };
}

/** Writes `chunk` as data frames until `total` bytes went, waiting for 'drain' whenever write() says so. */
export async function writeStream(socket: Socket, chunk: Uint8Array, total: number): Promise<void> {
  const head = header(FrameType.Data, chunk.byteLength);
  for (let sent = 0; sent < total; sent += chunk.byteLength) {
    socket.cork();
    socket.write(head);
    const more = socket.write(chunk);
    socket.uncork();
    if (!more) await once(socket, 'drain');
  }
}

/** Parses frames from socket reads: data frames are only counted, others delivered whole. */
export class FrameReader {
  readonly #onFrame: (type: FrameType, payload: Uint8Array) => void;
  readonly #header = Buffer.alloc(HEADER_SIZE);
  #headerFill = 0;
  #type: FrameType = FrameType.Echo;
  #length = 0;
  #got = 0;
  #payload: Uint8Array | undefined;
  /** Payload bytes of data frames received since the last {@link takeDataBytes}. */
  #dataBytes = 0;

  constructor(onFrame: (type: FrameType, payload: Uint8Array) => void) {
    this.#onFrame = onFrame;
  }

  takeDataBytes(): number {
    const bytes = this.#dataBytes;
    this.#dataBytes = 0;
    return bytes;
  }

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.#headerFill < HEADER_SIZE) {
        const n = Math.min(HEADER_SIZE - this.#headerFill, chunk.byteLength - at);
        this.#header.set(chunk.subarray(at, at + n), this.#headerFill);
        this.#headerFill += n;
        at += n;
        if (this.#headerFill < HEADER_SIZE) return;
        this.#length = this.#header.readUInt32BE(0);
        this.#type = this.#header[4] as FrameType;
        this.#got = 0;
        if (this.#type !== FrameType.Data) {
          if (chunk.byteLength - at >= this.#length) {
            // The whole payload is in this read: hand over a view, no copy.
            const payload = chunk.subarray(at, at + this.#length);
            at += this.#length;
            this.#headerFill = 0;
            this.#onFrame(this.#type, payload);
            continue;
          }
          this.#payload = new Uint8Array(this.#length);
        }
        if (this.#length === 0) this.#finish();
        continue;
      }
      const n = Math.min(this.#length - this.#got, chunk.byteLength - at);
      if (this.#type === FrameType.Data) this.#dataBytes += n;
      else this.#payload!.set(chunk.subarray(at, at + n), this.#got);
      this.#got += n;
      at += n;
      if (this.#got === this.#length) this.#finish();
    }
  }

  #finish(): void {
    this.#headerFill = 0;
    const payload = this.#payload;
    this.#payload = undefined;
    if (this.#type !== FrameType.Data) this.#onFrame(this.#type, payload!);
  }
}

/** A float64 payload (byte counts above 2³² fit). */
export function numberPayload(...values: number[]): Uint8Array {
  const bytes = Buffer.allocUnsafe(8 * values.length);
  values.forEach((value, i) => bytes.writeDoubleBE(value, 8 * i));
  return bytes;
}

export function readNumber(payload: Uint8Array, index = 0): number {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readDoubleBE(8 * index);
}
