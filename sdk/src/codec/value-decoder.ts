/**
 * The decoding half of the value codec: MessagePack bytes → JavaScript values. Input comes from another
 * process and is treated as hostile: every length is checked against the bytes left before anything is
 * allocated ({@link ByteReader}), nesting is bounded, decoded values never alias the input, and the only
 * thing that can be thrown is a {@link SerializationError}.
 */
import { SerializationError } from '../errors/errors.js';
import { readMagnitude } from './bigint-bytes.js';
import { ByteReader } from './byte-reader.js';
import type { CodecHooks } from './codec-types.js';
import { rebuildError } from './error-ext.js';
import {
  DATA_VIEW_KIND,
  ExtType,
  HOOK_EXT_MAX,
  HOOK_EXT_MIN,
  LITTLE_ENDIAN_HOST,
  swapElementBytes,
  typedArrayKinds,
} from './ext-types.js';
import { copyBytes } from './fresh-bytes.js';
import { readKey } from './utf8.js';

const defineProperty = Object.defineProperty;

export class ValueDecoder extends ByteReader {
  readonly #hooks: CodecHooks | undefined;
  readonly #maxDepth: number;

  constructor(hooks: CodecHooks | undefined, maxDepth: number) {
    super();
    this.#hooks = hooks;
    this.#maxDepth = maxDepth;
  }

  /**
   * Decodes exactly one value that must fill `input`. Throws {@link SerializationError}. With `adopt`,
   * large binary values may be views into `input` (see {@link BIN_VIEW_MIN}).
   */
  decode(input: Uint8Array, adopt = false): unknown {
    if (!(input instanceof Uint8Array)) {
      throw new SerializationError('cannot decode: the input is not a Uint8Array');
    }
    this.attach(input, adopt);
    try {
      const value = this.#read(1);
      if (this.pos !== this.end)
        throw this.malformed(`${this.end - this.pos} unexpected bytes after the value`);
      return value;
    } catch (error) {
      if (error instanceof SerializationError) throw error;
      // Every check above throws SerializationError; what is left is the stack running out (the caller
      // was already deep) or an engine limit such as the largest BigInt.
      if (error instanceof RangeError && error.message.includes('call stack')) {
        const message =
          'cannot decode value: the stack ran out; call the codec less deeply or lower maxDepth';
        throw new SerializationError(message, { cause: error });
      }
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new SerializationError(`cannot decode value: ${detail}`, { cause: error });
    } finally {
      this.detach();
    }
  }

  /** `depth` is the nesting level of the value being read (the root is 1). */
  #read(depth: number): unknown {
    const b = this.u8();
    if (b < 0x80) return b;
    if (b < 0x90) return this.#readMap(b & 0x0f, depth);
    if (b < 0xa0) return this.#readArray(b & 0x0f, depth);
    if (b < 0xc0) return this.readString(b & 0x1f);
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.readBin(this.u8());
      case 0xc5:
        return this.readBin(this.u16());
      case 0xc6:
        return this.readBin(this.u32());
      case 0xc7:
        return this.#readExt(this.u8(), depth);
      case 0xc8:
        return this.#readExt(this.u16(), depth);
      case 0xc9:
        return this.#readExt(this.u32(), depth);
      case 0xca:
        return this.readFloat32();
      case 0xcb:
        return this.readFloat64();
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        return this.readUint64();
      case 0xd0:
        return (this.u8() << 24) >> 24;
      case 0xd1:
        return (this.u16() << 16) >> 16;
      case 0xd2:
        return this.i32();
      case 0xd3:
        return this.readInt64();
      case 0xd4:
        return this.#readExt(1, depth);
      case 0xd5:
        return this.#readExt(2, depth);
      case 0xd6:
        return this.#readExt(4, depth);
      case 0xd7:
        return this.#readExt(8, depth);
      case 0xd8:
        return this.#readExt(16, depth);
      case 0xd9:
        return this.readString(this.u8());
      case 0xda:
        return this.readString(this.u16());
      case 0xdb:
        return this.readString(this.u32());
      case 0xdc:
        return this.#readArray(this.u16(), depth);
      case 0xdd:
        return this.#readArray(this.u32(), depth);
      case 0xde:
        return this.#readMap(this.u16(), depth);
      case 0xdf:
        return this.#readMap(this.u32(), depth);
      default: // 0xc1, never used
        this.pos--;
        throw this.malformed('reserved byte 0xc1');
    }
  }

  // ── scalars ────────────────────────────────────────────────────────────────────────────────────────

  // ── containers ─────────────────────────────────────────────────────────────────────────────────────

  #checkDepth(depth: number): void {
    if (depth > this.#maxDepth) {
      throw this.malformed(`value is nested deeper than ${this.#maxDepth} levels`);
    }
  }

  /** Rejects a count of items that cannot fit in the bytes left (each item takes at least one byte). */
  #checkCount(count: number, bytesPerItem: number, what: string): void {
    if (count * bytesPerItem > this.end - this.pos) {
      throw this.malformed(`${what} claims ${count} items but only ${this.end - this.pos} bytes are left`);
    }
  }

  #readArray(length: number, depth: number): unknown[] {
    this.#checkDepth(depth);
    this.#checkCount(length, 1, 'an array');
    const array: unknown[] = [];
    for (let i = 0; i < length; i++) array.push(this.#read(depth + 1));
    return array;
  }

  /**
   * A map whose keys are all strings becomes a plain object (`__proto__` an ordinary own property, never
   * the prototype); one with any other key becomes a Map.
   */
  #readMap(length: number, depth: number): Record<string, unknown> | Map<unknown, unknown> {
    this.#checkDepth(depth);
    this.#checkCount(length, 2, 'a map');
    const bodyStart = this.pos;
    const record: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const b = this.bytes[this.pos];
      const key =
        b !== undefined && b >= 0xa0 && b < 0xc0 && this.pos < this.end
          ? this.#readFixKey(b)
          : this.#read(depth + 1);
      if (typeof key !== 'string') return this.#continueAsMap(record, bodyStart, i, key, length, depth);
      const value = this.#read(depth + 1);
      if (key === '__proto__')
        defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
      else record[key] = value;
    }
    return record;
  }

  #readFixKey(b: number): string {
    this.pos++;
    const length = b & 0x1f;
    return readKey(this.bytes, this.take(length), length);
  }

  /**
   * A non-string key turned up as key number `index`: rebuild what was read so far as a Map, in wire
   * order (the object may have reordered integer-like keys), then read the rest into it.
   */
  #continueAsMap(
    record: Record<string, unknown>,
    bodyStart: number,
    index: number,
    key: unknown,
    length: number,
    depth: number,
  ): Map<unknown, unknown> {
    const map = new Map<unknown, unknown>();
    const resume = this.pos;
    this.pos = bodyStart;
    for (let i = 0; i < index; i++) {
      const earlierKey = this.#read(depth + 1) as string; // a string: no hook runs
      this.#skip();
      map.set(earlierKey, record[earlierKey]);
    }
    this.pos = resume;
    map.set(key, this.#read(depth + 1));
    for (let i = index + 1; i < length; i++) {
      const k = this.#read(depth + 1);
      map.set(k, this.#read(depth + 1));
    }
    return map;
  }

  /** Steps over one value that was already decoded once (so it is well-formed), without building it. */
  #skip(): void {
    let pending = 1;
    while (pending > 0) {
      pending--;
      const b = this.u8();
      if (b < 0x80 || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) continue;
      if (b < 0x90) pending += 2 * (b & 0x0f);
      else if (b < 0xa0) pending += b & 0x0f;
      else if (b < 0xc0) this.take(b & 0x1f);
      else if (b === 0xc4 || b === 0xd9) this.take(this.u8());
      else if (b === 0xc5 || b === 0xda) this.take(this.u16());
      else if (b === 0xc6 || b === 0xdb) this.take(this.u32());
      else if (b === 0xc7) this.take(1 + this.u8());
      else if (b === 0xc8) this.take(1 + this.u16());
      else if (b === 0xc9) this.take(1 + this.u32());
      else if (b === 0xca) this.take(4);
      else if (b === 0xcb) this.take(8);
      else if (b >= 0xcc && b <= 0xd3) this.take(1 << (b & 0x03));
      else if (b >= 0xd4 && b <= 0xd8) this.take(1 + (1 << (b - 0xd4)));
      else if (b === 0xdc) pending += this.u16();
      else if (b === 0xdd) pending += this.u32();
      else if (b === 0xde) pending += 2 * this.u16();
      else if (b === 0xdf) pending += 2 * this.u32();
      else throw this.malformed(`unexpected byte 0x${b.toString(16)}`);
    }
  }

  // ── ext types ──────────────────────────────────────────────────────────────────────────────────────

  #readExt(length: number, depth: number): unknown {
    const type = (this.u8() << 24) >> 24;
    const start = this.take(length);
    const b = this.bytes;
    switch (type) {
      case ExtType.Undefined:
        if (length !== 1 || b[start] !== 0) throw this.#badExt(type, 'expected one data byte 0');
        return undefined;
      case ExtType.Date: {
        if (length !== 8) throw this.#badExt(type, `expected 8 bytes, got ${length}`);
        this.pos = start;
        const ms = this.readFloat64();
        return new Date(ms);
      }
      case ExtType.BigInt: {
        const sign = b[start];
        if (length < 1 || (sign !== 0 && sign !== 1)) throw this.#badExt(type, 'expected a sign byte 0 or 1');
        const magnitude = readMagnitude(b, start + 1, length - 1);
        return sign === 1 ? -magnitude : magnitude;
      }
      case ExtType.TypedArray:
        return this.#readTypedArray(start, length);
      case ExtType.ArrayBuffer:
        return copyBytes(b, start, start + length).buffer;
      case ExtType.Map:
      case ExtType.Set:
      case ExtType.RegExp:
      case ExtType.Error:
        return this.#readNestedExt(type, start, length, depth);
    }
    if (type >= HOOK_EXT_MIN && type <= HOOK_EXT_MAX && this.#hooks?.decode !== undefined) {
      return this.#readNestedExt(type, start, length, depth);
    }
    this.pos = start - 1;
    throw this.malformed(
      type >= HOOK_EXT_MIN && type <= HOOK_EXT_MAX
        ? `ext type ${type} needs a codec hook and none is installed`
        : `unknown ext type ${type}`,
    );
  }

  #badExt(type: number, detail: string): SerializationError {
    return this.malformed(`invalid content for ext type ${type}: ${detail}`);
  }

  /** An ext whose content is itself a msgpack value, read within the ext's bounds. */
  #readNestedExt(type: number, start: number, length: number, depth: number): unknown {
    this.#checkDepth(depth);
    const savedEnd = this.end;
    const contentEnd = start + length;
    this.pos = start;
    this.end = contentEnd;
    let value: unknown;
    switch (type) {
      case ExtType.Map: {
        const count = this.#readArrayHeader(type, depth + 1);
        if (count % 2 !== 0) throw this.#badExt(type, 'expected an even number of items');
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < count; i += 2) {
          const key = this.#read(depth + 2);
          map.set(key, this.#read(depth + 2));
        }
        value = map;
        break;
      }
      case ExtType.Set: {
        const count = this.#readArrayHeader(type, depth + 1);
        const set = new Set<unknown>();
        for (let i = 0; i < count; i++) set.add(this.#read(depth + 2));
        value = set;
        break;
      }
      case ExtType.RegExp: {
        const count = this.#readArrayHeader(type, depth + 1);
        const source = count === 2 ? this.#read(depth + 2) : undefined;
        const flags = count === 2 ? this.#read(depth + 2) : undefined;
        if (typeof source !== 'string' || typeof flags !== 'string') {
          throw this.#badExt(type, 'expected [source, flags] strings');
        }
        try {
          value = new RegExp(source, flags);
        } catch (error) {
          throw this.#badExt(type, error instanceof Error ? error.message : 'invalid pattern');
        }
        break;
      }
      case ExtType.Error:
        value = rebuildError(this.#read(depth + 1));
        break;
      default: {
        const payload = this.#read(depth + 1);
        if (this.pos !== contentEnd) throw this.#badExt(type, 'bytes left after the payload');
        try {
          value = this.#hooks!.decode!(type, payload);
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          throw new SerializationError(`the codec hook failed to decode ext type ${type}: ${detail}`, {
            cause: error,
          });
        }
      }
    }
    if (this.pos !== contentEnd) throw this.#badExt(type, 'bytes left after the content');
    this.end = savedEnd;
    return value;
  }

  #readArrayHeader(type: number, depth: number): number {
    this.#checkDepth(depth);
    const b = this.u8();
    let count: number;
    if (b >= 0x90 && b < 0xa0) count = b & 0x0f;
    else if (b === 0xdc) count = this.u16();
    else if (b === 0xdd) count = this.u32();
    else throw this.#badExt(type, 'the content must be a msgpack array');
    this.#checkCount(count, 1, `ext type ${type}`);
    return count;
  }

  #readTypedArray(start: number, length: number): ArrayBufferView {
    const b = this.bytes;
    const kindByte = b[start];
    const kind = length >= 1 && kindByte !== undefined ? typedArrayKinds[kindByte] : undefined;
    if (kind === undefined) throw this.#badExt(ExtType.TypedArray, `unknown typed array kind ${kindByte}`);
    const byteLength = length - 1;
    if (byteLength % kind.bytesPerElement !== 0) {
      throw this.#badExt(
        ExtType.TypedArray,
        `${byteLength} bytes is not a whole number of ${kind.name} elements (${kind.bytesPerElement} bytes each)`,
      );
    }
    // A fresh buffer: aligned for the element size, and never aliasing the input.
    const copy = copyBytes(b, start + 1, start + length);
    if (!LITTLE_ENDIAN_HOST && kindByte !== DATA_VIEW_KIND) {
      swapElementBytes(copy, 0, copy.length, kind.bytesPerElement);
    }
    return kind.create(copy.buffer);
  }
}
