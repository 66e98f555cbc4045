/**
 * The content of ext 2 (BigInt): one sign byte (0 non-negative, 1 negative), then the magnitude
 * big-endian in the fewest bytes (zero has no magnitude bytes).
 */

/** Bytes the magnitude of `value` needs, and its hex digits when it is longer than 6 bytes. */
export interface BigIntMagnitude {
  readonly negative: boolean;
  readonly length: number;
  /** The magnitude when it fits in 48 bits (exact as a number), else -1. */
  readonly small: number;
  /** Hex digits of the magnitude (even count) when `small` is -1. */
  readonly hex: string;
}

const SMALL_LIMIT = 2n ** 48n;

export function bigIntMagnitude(value: bigint): BigIntMagnitude {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  if (magnitude < SMALL_LIMIT) {
    const small = Number(magnitude);
    let length = 0;
    for (let rest = small; rest > 0; rest = Math.floor(rest / 256)) length++;
    return { negative, length, small, hex: '' };
  }
  let hex = magnitude.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return { negative, length: hex.length / 2, small: -1, hex };
}

/** Writes the magnitude bytes (big-endian) at `out[pos]`. */
export function writeMagnitude(m: BigIntMagnitude, out: Uint8Array, pos: number): void {
  if (m.small >= 0) {
    let rest = m.small;
    for (let i = pos + m.length - 1; i >= pos; i--) {
      out[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    return;
  }
  for (let i = 0; i < m.length; i++) out[pos + i] = parseInt(m.hex.slice(2 * i, 2 * i + 2), 16);
}

const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Reads a magnitude of `length` big-endian bytes. Leading zero bytes are accepted (encoders must not
 * write them, decoders tolerate them).
 */
export function readMagnitude(bytes: Uint8Array, start: number, length: number): bigint {
  if (length <= 6) {
    let n = 0;
    for (let i = start; i < start + length; i++) n = n * 256 + bytes[i]!;
    return BigInt(n);
  }
  const parts: string[] = new Array<string>(length);
  for (let i = 0; i < length; i++) parts[i] = hexByte[bytes[start + i]!]!;
  return BigInt(`0x${parts.join('')}`);
}
