/**
 * The byte level of the decoder: bounds-checked reads of MessagePack scalars from untrusted input. Every
 * read checks the bytes left first, so a length in the input can never make it read past the end.
 */
import { SerializationError } from '../errors/errors.js';
import { LITTLE_ENDIAN_HOST } from './ext-types.js';
import { copyBytes } from './fresh-bytes.js';
import { readUtf8 } from './utf8.js';

const EMPTY = new Uint8Array(0);

/**
 * With an adopted input, binary values at least this long are returned as views into it instead of
 * copies (when they also fill at least half of its buffer, so a view never pins much more than itself).
 */
export const BIN_VIEW_MIN = 64 * 1024;

// Scratch for floats: copying 8 bytes in is cheaper than a DataView over every input.
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);

export class ByteReader {
  protected bytes: Uint8Array = EMPTY;
  protected pos = 0;
  /** End of what may be read: the input's end, or the end of the ext whose content is being read. */
  protected end = 0;
  /** The caller handed the input over: large binary values may be views into it. */
  protected adopted = false;

  /** Reads `input` from its start; a Buffer is viewed as a plain Uint8Array (its `slice` would alias). */
  protected attach(input: Uint8Array, adopt = false): void {
    this.adopted = adopt;
    this.bytes =
      Object.getPrototypeOf(input) === Uint8Array.prototype
        ? input
        : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.pos = 0;
    this.end = input.length;
  }

  /** Lets go of the input. */
  protected detach(): void {
    this.bytes = EMPTY;
    this.adopted = false;
  }

  protected malformed(detail: string): SerializationError {
    return new SerializationError(
      `cannot decode value: ${detail} (at byte ${this.pos}); the peer sent malformed data or does not ` +
        `follow Tether's wire protocol (docs/protocol.md)`,
    );
  }

  /** Checks that `n` more bytes exist; returns where they start. */
  protected take(n: number): number {
    const p = this.pos;
    if (n > this.end - p) throw this.malformed(`truncated input: ${n} bytes needed, ${this.end - p} left`);
    this.pos = p + n;
    return p;
  }

  protected u8(): number {
    return this.bytes[this.take(1)]!;
  }

  protected u16(): number {
    const p = this.take(2);
    const b = this.bytes;
    return (b[p]! << 8) | b[p + 1]!;
  }

  protected u32(): number {
    const p = this.take(4);
    const b = this.bytes;
    return b[p]! * 0x100_0000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  protected i32(): number {
    const p = this.take(4);
    const b = this.bytes;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  protected readString(length: number): string {
    const start = this.take(length);
    return readUtf8(this.bytes, start, length);
  }

  protected readBin(length: number): Uint8Array {
    const start = this.take(length);
    const bytes = this.bytes;
    if (this.adopted && length >= BIN_VIEW_MIN && length * 2 >= bytes.buffer.byteLength) {
      return bytes.subarray(start, start + length);
    }
    return copyBytes(bytes, start, start + length);
  }

  protected readFloat64(): number {
    const p = this.take(8);
    const b = this.bytes;
    if (LITTLE_ENDIAN_HOST) for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + 7 - i]!;
    else for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i]!;
    return f64[0]!;
  }

  protected readFloat32(): number {
    const p = this.take(4);
    const b = this.bytes;
    if (LITTLE_ENDIAN_HOST) for (let i = 0; i < 4; i++) f32Bytes[i] = b[p + 3 - i]!;
    else for (let i = 0; i < 4; i++) f32Bytes[i] = b[p + i]!;
    return f32[0]!;
  }

  /** uint 64: a number when it is a safe integer, else a bigint. */
  protected readUint64(): number | bigint {
    const hi = this.u32();
    const lo = this.u32();
    if (hi < 0x20_0000) return hi * 0x1_0000_0000 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** int 64: a number when it is a safe integer, else a bigint. */
  protected readInt64(): number | bigint {
    const hi = this.i32();
    const lo = this.u32();
    if (hi >= -0x20_0000 && hi < 0x20_0000 && !(hi === -0x20_0000 && lo === 0))
      return hi * 0x1_0000_0000 + lo;
    return BigInt(hi) * 0x1_0000_0000n + BigInt(lo);
  }
}
