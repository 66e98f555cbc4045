/**
 * MessagePack extension type numbers of the value codec, and the tables the encoder and decoder share.
 * The exact byte layout of each type is specified in PROTOCOL-SECTION.md (merged into docs/protocol.md).
 */

/**
 * Objects carrying this own property (any truthy value) are always handed to {@link CodecHooks.encode},
 * whatever their type. `proxy()` in the RPC layer sets it to pass an object by reference.
 */
export const extensionMarker: unique symbol = Symbol.for('tether.codec.extension');

/** Ext type numbers 0..15 belong to the codec. 9..15 are reserved (decoding them fails). */
export const ExtType = {
  /** fixext 1, one data byte 0. */
  Undefined: 0,
  /** 8 bytes: float64 big-endian, milliseconds since the epoch (NaN = Invalid Date). */
  Date: 1,
  /** 1 sign byte (0 non-negative, 1 negative), then the big-endian magnitude, minimal (zero: none). */
  BigInt: 2,
  /** A msgpack array of 2n items: key1, value1, key2, value2, … */
  Map: 3,
  /** A msgpack array of the items. */
  Set: 4,
  /** A msgpack array [source, flags]. */
  RegExp: 5,
  /** 1 kind byte ({@link typedArrayKinds}), then the raw element bytes, little-endian. */
  TypedArray: 6,
  /** The raw bytes. */
  ArrayBuffer: 7,
  /** A msgpack map: name, message, and optionally stack, code, cause, errors, props. */
  Error: 8,
} as const;

/** Lowest ext type handed to {@link CodecHooks}. */
export const HOOK_EXT_MIN = 16;
/** Highest ext type handed to {@link CodecHooks}. */
export const HOOK_EXT_MAX = 63;

/** A typed array constructor the codec knows (Uint8Array is not one: it is msgpack bin). */
export interface TypedArrayKind {
  readonly name: string;
  readonly bytesPerElement: number;
  /** Builds the array over a fresh, aligned buffer the decoder owns. */
  create(buffer: ArrayBuffer): ArrayBufferView;
}

function kind(ctor: {
  readonly name: string;
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBuffer): ArrayBufferView;
}): TypedArrayKind {
  return { name: ctor.name, bytesPerElement: ctor.BYTES_PER_ELEMENT, create: (buffer) => new ctor(buffer) };
}

/** Ext 6 kind byte → constructor. The index is the kind byte; the order is part of the protocol. */
export const typedArrayKinds: readonly TypedArrayKind[] = [
  kind(Int8Array), // 0
  kind(Uint8ClampedArray), // 1
  kind(Int16Array), // 2
  kind(Uint16Array), // 3
  kind(Int32Array), // 4
  kind(Uint32Array), // 5
  kind(Float32Array), // 6
  kind(Float64Array), // 7
  kind(BigInt64Array), // 8
  kind(BigUint64Array), // 9
  { name: 'DataView', bytesPerElement: 1, create: (buffer) => new DataView(buffer) },
];

/** Ext 6 kind byte of a DataView. */
export const DATA_VIEW_KIND = 10;

/** Typed array name (its [[TypedArrayName]], as `Symbol.toStringTag` reports it) → ext 6 kind byte. */
export const typedArrayKindByName: ReadonlyMap<string, number> = new Map(
  typedArrayKinds.slice(0, DATA_VIEW_KIND).map((entry, index) => [entry.name, index]),
);

const typedArrayTagDescriptor = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
) as { readonly get?: (this: unknown) => unknown } | undefined;
const typedArrayTagGetter = typedArrayTagDescriptor?.get;

/**
 * The [[TypedArrayName]] of a typed array ('Int16Array', 'Uint8Array', …), read through the intrinsic
 * getter so subclasses and other realms are recognised; undefined for a DataView.
 */
export function typedArrayName(view: ArrayBufferView): string | undefined {
  return typedArrayTagGetter?.call(view) as string | undefined;
}

/** True on little-endian hosts (every platform Node ships for today); ext 6 is little-endian on the wire. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of each `size`-byte element of `bytes[start, end)` in place (big-endian hosts). */
export function swapElementBytes(bytes: Uint8Array, start: number, end: number, size: number): void {
  if (size === 1) return;
  for (let i = start; i + size <= end; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = bytes[lo]!;
      bytes[lo] = bytes[hi]!;
      bytes[hi] = t;
    }
  }
}
