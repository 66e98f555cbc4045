/**
 * The encoding half of the value codec: JavaScript values → MessagePack bytes. This file decides what
 * each value becomes (types, ext types, hooks, depth, error paths); {@link ByteWriter} writes the bytes.
 */
import { bigIntMagnitude, writeMagnitude } from './bigint-bytes.js';
import { ByteWriter } from './byte-writer.js';
import type { CodecHooks } from './codec-types.js';
import { EncodeFailure, indexSegment, keySegment, toFailure, withSegment } from './encode-failure.js';
import { errorFields } from './error-ext.js';
import { TRANSFER_MIN_BYTES, isTransferred } from './transfer.js';
import {
  DATA_VIEW_KIND,
  ExtType,
  extensionMarker,
  HOOK_EXT_MAX,
  HOOK_EXT_MIN,
  LITTLE_ENDIAN_HOST,
  swapElementBytes,
  typedArrayKindByName,
  typedArrayKinds,
  typedArrayName,
} from './ext-types.js';

const objectPrototype = Object.prototype;
const SharedArrayBufferCtor = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer })
  .SharedArrayBuffer;
const WeakRefCtor = (globalThis as { WeakRef?: typeof WeakRef }).WeakRef;

/** Types that cannot cross a process boundary, with what to do instead. */
const refusedTypes: readonly (readonly [abstract new (...args: never[]) => object, string, string])[] = [
  [Promise, 'a Promise', 'await it and send the result'],
  [WeakMap, 'a WeakMap', 'its entries cannot be enumerated; send a Map instead'],
  [WeakSet, 'a WeakSet', 'its entries cannot be enumerated; send a Set or an array instead'],
  ...(WeakRefCtor ? [[WeakRefCtor, 'a WeakRef', 'send deref() instead'] as const] : []),
];

export class ValueEncoder extends ByteWriter {
  readonly #hooks: CodecHooks | undefined;
  readonly #maxDepth: number;

  constructor(hooks: CodecHooks | undefined, maxDepth: number) {
    super();
    this.#hooks = hooks;
    this.#maxDepth = maxDepth;
  }

  /** While encoding for {@link encodeParts}: transferred binary values go by reference. */
  #byReference = false;

  /** Encodes one value into a fresh Uint8Array the caller owns. Throws SerializationError. */
  encode(value: unknown): Uint8Array {
    this.reset();
    this.#byReference = false;
    try {
      this.#write(value, 1);
      return this.take();
    } catch (error) {
      throw toFailure(error).toError();
    } finally {
      this.shrink();
    }
  }
  /**
   * Like {@link encode}, but binary values handed over with `transfer()` (4 KiB and more, outside ext
   * content) are not copied: the result is then the message as parts, to send in order.
   */
  encodeParts(value: unknown): Uint8Array | Uint8Array[] {
    this.reset();
    this.#byReference = true;
    try {
      this.#write(value, 1);
      return this.takeParts();
    } catch (error) {
      throw toFailure(error).toError();
    } finally {
      this.#byReference = false;
      this.shrink();
    }
  }

  // ── dispatch ───────────────────────────────────────────────────────────────────────────────────────

  /** `depth` is the nesting level of `value` (the root is 1); containers deeper than maxDepth fail. */
  #write(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'number':
        this.writeNumber(value);
        return;
      case 'string':
        this.writeString(value);
        return;
      case 'object':
        if (value === null) {
          this.ensure(1);
          this.bytes[this.pos++] = 0xc0;
        } else {
          this.#writeObject(value, depth);
        }
        return;
      case 'boolean':
        this.ensure(1);
        this.bytes[this.pos++] = value ? 0xc3 : 0xc2;
        return;
      case 'undefined':
        this.ensure(3);
        this.bytes[this.pos++] = 0xd4;
        this.bytes[this.pos++] = ExtType.Undefined;
        this.bytes[this.pos++] = 0;
        return;
      case 'bigint':
        this.#writeBigInt(value);
        return;
      case 'function':
        if (this.#writeHooked(value, depth)) return;
        throw new EncodeFailure(
          'cannot send a function',
          'wrap it in proxy() to pass it by reference, or leave it out',
        );
      case 'symbol':
        throw new EncodeFailure(
          'cannot send a symbol',
          'symbols exist only in one process; send a string instead',
        );
    }
  }

  #writeObject(value: object, depth: number): void {
    const marker = (value as { [extensionMarker]?: unknown })[extensionMarker];
    if (marker && Object.hasOwn(value, extensionMarker)) {
      if (this.#writeHooked(value, depth)) return;
      throw new EncodeFailure(
        'cannot send this object: it is marked to pass by reference (proxy()) but no codec hook took it',
        'send it through an RPC peer, which handles proxy() values, or send a plain copy',
      );
    }
    if (Array.isArray(value)) return this.#writeArray(value, depth);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === objectPrototype || proto === null)
      return this.#writeRecord(value, Object.keys(value), depth);
    if (ArrayBuffer.isView(value)) return this.#writeView(value);
    if (value instanceof Date) return this.#writeDate(value);
    if (value instanceof Map) return this.#writeMap(value, depth);
    if (value instanceof Set) return this.#writeSet(value, depth);
    if (value instanceof Error) return this.#writeError(value, depth);
    if (value instanceof RegExp) return this.#writeRegExp(value, depth);
    if (value instanceof ArrayBuffer || (SharedArrayBufferCtor && value instanceof SharedArrayBufferCtor)) {
      return this.#writeArrayBuffer(value);
    }
    for (const [type, what, hint] of refusedTypes) {
      if (value instanceof type) throw new EncodeFailure(`cannot send ${what}`, hint);
    }
    if (this.#writeHooked(value, depth)) return;
    // A class instance no hook wanted: its own enumerable properties, like structured clone.
    this.#writeRecord(value, Object.keys(value), depth);
  }

  #writeBigInt(value: bigint): void {
    const m = bigIntMagnitude(value);
    this.writeExtHeader(ExtType.BigInt, 1 + m.length);
    this.ensure(1 + m.length);
    this.bytes[this.pos] = m.negative ? 1 : 0;
    writeMagnitude(m, this.bytes, this.pos + 1);
    this.pos += 1 + m.length;
  }

  // ── containers ─────────────────────────────────────────────────────────────────────────────────────

  #checkDepth(depth: number): void {
    if (depth > this.#maxDepth) {
      throw new EncodeFailure(
        `value is nested deeper than ${this.#maxDepth} levels or is cyclic`,
        'break the cycle (send an id instead of the object) or flatten the value',
      );
    }
  }

  #writeArray(array: readonly unknown[], depth: number): void {
    this.#checkDepth(depth);
    const length = array.length;
    this.writeCollectionHeader(length, 0x90, 0xdc);
    let i = 0;
    try {
      for (; i < length; i++) this.#write(array[i], depth + 1);
    } catch (error) {
      throw withSegment(error, indexSegment(i));
    }
  }

  /** A plain object (or a class instance sent as one): a map of its own enumerable string keys. */
  #writeRecord(record: object, keys: readonly string[], depth: number): void {
    this.#checkDepth(depth);
    const length = keys.length;
    this.writeCollectionHeader(length, 0x80, 0xde);
    let i = 0;
    try {
      for (; i < length; i++) {
        const key = keys[i]!;
        this.writeString(key);
        this.#write((record as Record<string, unknown>)[key], depth + 1);
      }
    } catch (error) {
      throw withSegment(error, keySegment(keys[i]!));
    }
  }

  #writeMap(map: ReadonlyMap<unknown, unknown>, depth: number): void {
    // The ext is one level and its content array another, exactly as the decoder counts them.
    this.#checkDepth(depth + 1);
    const start = this.beginExt();
    this.writeCollectionHeader(map.size * 2, 0x90, 0xdc);
    let i = 0;
    let key: unknown;
    let atKey = true;
    try {
      for (const [k, v] of map) {
        key = k;
        atKey = true;
        this.#write(k, depth + 2);
        atKey = false;
        this.#write(v, depth + 2);
        i++;
      }
    } catch (error) {
      throw withSegment(error, atKey ? `.keys()[${i}]` : mapValueSegment(key, i));
    }
    this.endExt(start, ExtType.Map);
  }

  #writeSet(set: ReadonlySet<unknown>, depth: number): void {
    this.#checkDepth(depth + 1);
    const start = this.beginExt();
    this.writeCollectionHeader(set.size, 0x90, 0xdc);
    let i = 0;
    try {
      for (const item of set) {
        this.#write(item, depth + 2);
        i++;
      }
    } catch (error) {
      throw withSegment(error, `.values()[${i}]`);
    }
    this.endExt(start, ExtType.Set);
  }

  #writeRegExp(regexp: RegExp, depth: number): void {
    this.#checkDepth(depth + 1);
    const start = this.beginExt();
    this.ensure(1);
    this.bytes[this.pos++] = 0x92;
    this.writeString(regexp.source);
    this.writeString(regexp.flags);
    this.endExt(start, ExtType.RegExp);
  }

  #writeError(error: Error, depth: number): void {
    // Levels: the ext, its content map, then the values (props and errors add one more).
    this.#checkDepth(depth + 1);
    const f = errorFields(error);
    const start = this.beginExt();
    this.writeCollectionHeader(f.entryCount, 0x80, 0xde);
    this.writeString('name');
    this.writeString(f.name);
    this.writeString('message');
    this.writeString(f.message);
    if (f.stack !== undefined) {
      this.writeString('stack');
      this.writeString(f.stack);
    }
    let segment = '';
    try {
      if (f.hasCode) {
        segment = '.code';
        this.writeString('code');
        this.#write(f.code, depth + 2);
      }
      if (f.hasCause) {
        segment = '.cause';
        this.writeString('cause');
        this.#write(f.cause, depth + 2);
      }
      if (f.errors !== undefined) {
        segment = '.errors';
        this.writeString('errors');
        this.#writeArray(f.errors, depth + 2);
      }
      if (f.propKeys.length > 0) {
        segment = '';
        this.writeString('props');
        this.#writeRecord(error, f.propKeys, depth + 2);
      }
    } catch (failure) {
      throw segment === '' ? failure : withSegment(failure, segment);
    }
    this.endExt(start, ExtType.Error);
  }

  // ── ext types ──────────────────────────────────────────────────────────────────────────────────────

  /** Hands `value` to hooks.encode; false when there is no hook or it returned undefined. */
  #writeHooked(value: object, depth: number): boolean {
    const hooks = this.#hooks;
    if (hooks?.encode === undefined) return false;
    let hooked;
    try {
      hooked = hooks.encode(value);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new EncodeFailure('the codec hook failed to encode a value', detail, error);
    }
    if (hooked === undefined) return false;
    const type = (hooked as { type?: unknown } | null)?.type;
    if (typeof type !== 'number' || !Number.isInteger(type) || type < HOOK_EXT_MIN || type > HOOK_EXT_MAX) {
      throw new EncodeFailure(
        `the codec hook returned an invalid ext type (${String(type)})`,
        `hooks must return { type, payload } with a type from ${HOOK_EXT_MIN} to ${HOOK_EXT_MAX}`,
      );
    }
    this.#checkDepth(depth);
    const start = this.beginExt();
    try {
      this.#write(hooked.payload, depth + 1);
    } catch (error) {
      throw withSegment(error, '(hook payload)');
    }
    this.endExt(start, type);
    return true;
  }

  #writeDate(date: Date): void {
    this.ensure(10);
    this.bytes[this.pos++] = 0xd7;
    this.bytes[this.pos++] = ExtType.Date;
    this.view.setFloat64(this.pos, date.getTime());
    this.pos += 8;
  }

  #writeView(view: ArrayBufferView): void {
    const name = typedArrayName(view);
    if (
      name === 'Uint8Array' &&
      this.#byReference &&
      view.byteLength >= TRANSFER_MIN_BYTES &&
      this.canWriteRef &&
      isTransferred(view as Uint8Array)
    ) {
      return this.writeBinRef(view as Uint8Array);
    }
    const source = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    if (name === 'Uint8Array') return this.writeBin(source);
    const kind =
      name === undefined ? (view instanceof DataView ? DATA_VIEW_KIND : -1) : typedArrayKindByName.get(name);
    if (kind === undefined || kind < 0) {
      throw new EncodeFailure(
        `cannot send a ${name ?? 'buffer view'}`,
        'copy it into one of the typed arrays the codec supports (Float32Array, Int16Array, …)',
      );
    }
    const length = source.length;
    this.writeExtHeader(ExtType.TypedArray, 1 + length);
    this.ensure(1 + length);
    this.bytes[this.pos++] = kind;
    this.bytes.set(source, this.pos);
    if (!LITTLE_ENDIAN_HOST) {
      swapElementBytes(this.bytes, this.pos, this.pos + length, typedArrayKinds[kind]!.bytesPerElement);
    }
    this.pos += length;
  }

  #writeArrayBuffer(buffer: ArrayBufferLike): void {
    const source = new Uint8Array(buffer);
    this.writeExtHeader(ExtType.ArrayBuffer, source.length);
    this.ensure(source.length);
    this.bytes.set(source, this.pos);
    this.pos += source.length;
  }
}

function mapValueSegment(key: unknown, index: number): string {
  if (typeof key === 'string') return `.get(${JSON.stringify(key)})`;
  if (typeof key === 'number' || typeof key === 'boolean') return `.get(${String(key)})`;
  return `.values()[${index}]`;
}
