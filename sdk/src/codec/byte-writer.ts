/**
 * The byte level of the encoder: one growable buffer reused by every `encode`, and the MessagePack
 * headers and scalars written into it, each in the smallest format that fits.
 */
import { EncodeFailure } from './encode-failure.js';
import { allocBytes, copyBytes } from './fresh-bytes.js';
import { writeUtf8 } from './utf8.js';

/** Size of a fresh encode buffer. */
const INITIAL_BUFFER_SIZE = 2048;
/** A buffer grown past this (by one large value) is dropped after the call instead of being kept. */
const MAX_RETAINED_BUFFER_SIZE = 2 * 1024 * 1024;
/**
 * A message at least this long is handed out in the encode buffer itself (which is then replaced) instead
 * of being copied: copying costs more than allocating a fresh small buffer for the next call. Below it, the
 * copy is cheap and the grown buffer is reused.
 */
const HAND_OUT_MIN = 128 * 1024;
/** Room added past a large growth, for what follows the value that needed it (headers, small fields). */
const GROWTH_SLACK = 16 * 1024;
/** Largest str / bin / ext content MessagePack can describe (a u32 length). */
const MAX_LENGTH = 0xffff_ffff;
/** Bytes of the ext 32 header reserved before content whose length is not known yet. */
const EXT32_HEADER = 6;

export class ByteWriter {
  protected bytes = new Uint8Array(INITIAL_BUFFER_SIZE);
  protected view = new DataView(this.bytes.buffer);
  protected pos = 0;
  /** Binary values written by reference (see {@link writeBinRef}): where each goes, in order. */
  #refs: { readonly at: number; readonly source: Uint8Array }[] = [];
  /** How many ext contents are open: their length is only known at the end, so no reference inside. */
  protected extDepth = 0;

  /** Starts a new message at the beginning of the buffer. */
  protected reset(): void {
    this.pos = 0;
    this.#refs = [];
    this.extDepth = 0;
  }

  /**
   * The message written so far as parts to send in order, the binary values written by reference among
   * them uncopied (the rest copied out of the encode buffer); a single Uint8Array when there are none.
   */
  protected takeParts(): Uint8Array | Uint8Array[] {
    const refs = this.#refs;
    if (refs.length === 0) return this.take();
    const parts: Uint8Array[] = [];
    let from = 0;
    for (const { at, source } of refs) {
      if (at > from) parts.push(copyBytes(this.bytes, from, at));
      parts.push(source);
      from = at;
    }
    if (this.pos > from) parts.push(copyBytes(this.bytes, from, this.pos));
    this.#refs = [];
    return parts;
  }

  /** True where a binary value may be written by reference: not inside an ext's content. */
  protected get canWriteRef(): boolean {
    return this.extDepth === 0;
  }

  /**
   * A bin header whose content is `source` itself, not copied: it goes into the message as a part of
   * its own ({@link takeParts}). Only outside ext content (see {@link canWriteRef}).
   */
  protected writeBinRef(source: Uint8Array): void {
    const length = source.byteLength;
    if (length > MAX_LENGTH) throw new EncodeFailure('cannot send binary data over 4 GiB', 'split it');
    this.writeBinHeader(length);
    this.#refs.push({ at: this.pos, source });
  }

  /**
   * The message written so far, in a buffer the caller owns: a copy when it is small, the encode buffer
   * itself when it is large (at least {@link HAND_OUT_MIN}; the writer starts a fresh buffer). A large
   * result may be a view into a slightly larger ArrayBuffer.
   */
  protected take(): Uint8Array {
    const length = this.pos;
    if (length < HAND_OUT_MIN) return copyBytes(this.bytes, 0, length);
    const message = this.bytes.subarray(0, length);
    this.setBuffer(new Uint8Array(INITIAL_BUFFER_SIZE));
    this.pos = 0;
    return message;
  }

  /** Drops a buffer that one large value grew past what is worth keeping. */
  protected shrink(): void {
    if (this.bytes.length > MAX_RETAINED_BUFFER_SIZE) this.setBuffer(new Uint8Array(INITIAL_BUFFER_SIZE));
  }

  /** Makes room for `n` more bytes. */
  protected ensure(n: number): void {
    if (this.pos + n > this.bytes.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    // Doubling for gradual growth; one large value (a big bin or string) gets what it needs plus slack,
    // so a message that is mostly one large value wastes little of the buffer it is handed out in.
    let size = this.bytes.length * 2;
    if (size < needed) size = needed + GROWTH_SLACK;
    // Not zeroed when large: only bytes below `pos` are ever read, and each is written first.
    const bytes = allocBytes(size);
    bytes.set(this.bytes.subarray(0, this.pos));
    this.setBuffer(bytes);
  }

  private setBuffer(bytes: Uint8Array<ArrayBuffer>): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }

  /** A safe integer (not -0) in the smallest int format; any other number as float 64. */
  protected writeNumber(v: number): void {
    this.ensure(9);
    const b = this.bytes;
    let p = this.pos;
    if (Number.isSafeInteger(v)) {
      if (v >= 0) {
        if (v < 0x80) {
          if (v === 0 && 1 / v < 0) return this.writeFloat64(v); // -0
          b[p++] = v;
        } else if (v < 0x100) {
          b[p++] = 0xcc;
          b[p++] = v;
        } else if (v < 0x10000) {
          b[p++] = 0xcd;
          b[p++] = v >>> 8;
          b[p++] = v & 0xff;
        } else if (v < 0x1_0000_0000) {
          b[p++] = 0xce;
          p = writeU32(b, p, v);
        } else {
          b[p++] = 0xcf;
          p = writeU32(b, p, Math.floor(v / 0x1_0000_0000));
          p = writeU32(b, p, v >>> 0);
        }
      } else if (v >= -32) {
        b[p++] = v & 0xff;
      } else if (v >= -0x80) {
        b[p++] = 0xd0;
        b[p++] = v & 0xff;
      } else if (v >= -0x8000) {
        b[p++] = 0xd1;
        b[p++] = (v >> 8) & 0xff;
        b[p++] = v & 0xff;
      } else if (v >= -0x8000_0000) {
        b[p++] = 0xd2;
        p = writeU32(b, p, v >>> 0);
      } else {
        b[p++] = 0xd3;
        p = writeU32(b, p, Math.floor(v / 0x1_0000_0000) >>> 0);
        p = writeU32(b, p, v >>> 0);
      }
      this.pos = p;
      return;
    }
    this.writeFloat64(v);
  }

  private writeFloat64(v: number): void {
    this.bytes[this.pos] = 0xcb;
    this.view.setFloat64(this.pos + 1, v);
    this.pos += 9;
  }

  /** str in the smallest format; lone surrogates become U+FFFD. */
  protected writeString(s: string): void {
    const length = s.length;
    const maxBytes = length * 3;
    this.ensure(5 + maxBytes);
    const start = this.pos;
    if (length < 32) {
      // Fast path for short ASCII (keys, names): fixstr, one pass, no call.
      const b = this.bytes;
      let p = start + 1;
      let i = 0;
      for (; i < length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[p++] = c;
      }
      if (i === length) {
        b[start] = 0xa0 | length;
        this.pos = p;
        return;
      }
    }
    // Reserve the header the worst case needs, write, then move the bytes back if a smaller one fits.
    const reserved = maxBytes < 32 ? 1 : maxBytes < 0x100 ? 2 : maxBytes < 0x10000 ? 3 : 5;
    const n = writeUtf8(s, this.bytes, start + reserved);
    if (n > MAX_LENGTH) throw new EncodeFailure('cannot send a string over 4 GiB', 'split it');
    const header = n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    if (header !== reserved) this.moveBack(start + reserved, n, reserved - header);
    const b = this.bytes;
    if (header === 1) {
      b[start] = 0xa0 | n;
    } else if (header === 2) {
      b[start] = 0xd9;
      b[start + 1] = n;
    } else if (header === 3) {
      b[start] = 0xda;
      b[start + 1] = n >>> 8;
      b[start + 2] = n & 0xff;
    } else {
      b[start] = 0xdb;
      writeU32(b, start + 1, n);
    }
    this.pos = start + header + n;
  }

  /** Moves `length` bytes at `from` back by `by` bytes. */
  private moveBack(from: number, length: number, by: number): void {
    const b = this.bytes;
    if (length < 32) {
      for (let i = from, end = from + length; i < end; i++) b[i - by] = b[i]!;
    } else {
      b.copyWithin(from - by, from, from + length);
    }
  }

  /** fixarray / fixmap (`fix`), else the 16-bit (`long`) or 32-bit (`long + 1`) form. */
  protected writeCollectionHeader(length: number, fix: number, long: number): void {
    this.ensure(5);
    const b = this.bytes;
    if (length < 16) {
      b[this.pos++] = fix | length;
    } else if (length < 0x10000) {
      b[this.pos++] = long;
      b[this.pos++] = length >>> 8;
      b[this.pos++] = length & 0xff;
    } else {
      b[this.pos++] = long + 1;
      this.pos = writeU32(b, this.pos, length);
    }
  }

  /** ext header for content of a known length, in the smallest format. */
  protected writeExtHeader(type: number, length: number): void {
    if (length > MAX_LENGTH) throw new EncodeFailure('cannot send a value over 4 GiB', 'split it');
    this.ensure(EXT32_HEADER);
    this.pos = writeExtHeaderAt(this.bytes, this.pos, type, length);
  }

  /** Reserves an ext 32 header for content written next; returns where the content starts. */
  protected beginExt(): number {
    this.extDepth++;
    this.ensure(EXT32_HEADER);
    this.pos += EXT32_HEADER;
    return this.pos;
  }

  /** Writes the header for the content since {@link #beginExt}, moving the content back if a smaller one fits. */
  protected endExt(contentStart: number, type: number): void {
    this.extDepth--;
    const length = this.pos - contentStart;
    if (length > MAX_LENGTH) throw new EncodeFailure('cannot send a value over 4 GiB', 'split it');
    const headerStart = contentStart - EXT32_HEADER;
    const header = writeExtHeaderAt(this.bytes, headerStart, type, length) - headerStart;
    if (header !== EXT32_HEADER) {
      this.moveBack(contentStart, length, EXT32_HEADER - header);
      this.pos -= EXT32_HEADER - header;
    }
  }

  protected writeBin(source: Uint8Array): void {
    const length = source.length;
    if (length > MAX_LENGTH) throw new EncodeFailure('cannot send binary data over 4 GiB', 'split it');
    this.ensure(5 + length);
    this.writeBinHeader(length);
    this.bytes.set(source, this.pos);
    this.pos += length;
  }

  /** The bin header for `length` bytes of content, in the smallest format (the same with or without a copy). */
  private writeBinHeader(length: number): void {
    this.ensure(5);
    const b = this.bytes;
    if (length < 0x100) {
      b[this.pos++] = 0xc4;
      b[this.pos++] = length;
    } else if (length < 0x10000) {
      b[this.pos++] = 0xc5;
      b[this.pos++] = length >>> 8;
      b[this.pos++] = length & 0xff;
    } else {
      b[this.pos++] = 0xc6;
      this.pos = writeU32(b, this.pos, length);
    }
  }
}

function writeU32(b: Uint8Array, p: number, v: number): number {
  b[p] = v >>> 24;
  b[p + 1] = (v >>> 16) & 0xff;
  b[p + 2] = (v >>> 8) & 0xff;
  b[p + 3] = v & 0xff;
  return p + 4;
}

/** Writes the smallest ext header for `length` content bytes at `p`; returns where the content starts. */
function writeExtHeaderAt(b: Uint8Array, p: number, type: number, length: number): number {
  switch (length) {
    case 1:
      b[p] = 0xd4;
      break;
    case 2:
      b[p] = 0xd5;
      break;
    case 4:
      b[p] = 0xd6;
      break;
    case 8:
      b[p] = 0xd7;
      break;
    case 16:
      b[p] = 0xd8;
      break;
    default:
      if (length < 0x100) {
        b[p] = 0xc7;
        b[p + 1] = length;
        b[p + 2] = type;
        return p + 3;
      }
      if (length < 0x10000) {
        b[p] = 0xc8;
        b[p + 1] = length >>> 8;
        b[p + 2] = length & 0xff;
        b[p + 3] = type;
        return p + 4;
      }
      b[p] = 0xc9;
      writeU32(b, p + 1, length);
      b[p + 5] = type;
      return p + 6;
  }
  b[p + 1] = type;
  return p + 2;
}
