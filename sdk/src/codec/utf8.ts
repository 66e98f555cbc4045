/**
 * UTF-8 for the value codec. Short strings are encoded and decoded by hand: a call into TextEncoder or
 * TextDecoder costs ~80–110 ns before the first byte, which is more than the whole loop for a method name.
 * Long strings use `TextEncoder.encodeInto` / `TextDecoder`. The cut-overs below were measured on Node 20
 * (2 vCPU VM); see the numbers next to each.
 *
 * Lone surrogates are encoded as U+FFFD (EF BF BD), exactly like TextEncoder does, so the bytes never
 * depend on which path a string took. Invalid UTF-8 is decoded like `TextDecoder` with `fatal: false`
 * (each maximal invalid subpart becomes U+FFFD): the manual decoder hands any input it does not fully
 * understand to TextDecoder, so both paths agree byte for byte.
 */

const textEncoder = new TextEncoder();
// ignoreBOM: a string that starts with U+FEFF must survive the round trip (the default strips it).
const textDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Strings of at most this many UTF-16 code units are encoded by hand. Measured ns/string, manual vs
 * encodeInto: ASCII 8/16/24 chars 25/56/78 vs 80/85/87; CJK 8/16/24 chars 41/80/115 vs 92/106/118.
 * (ASCII strings under 32 chars never get here: the encoder writes them inline.)
 */
export const MANUAL_ENCODE_MAX_LENGTH = 24;

/**
 * Strings of at most this many bytes are decoded by hand. Measured ns/string, manual vs TextDecoder:
 * ASCII 4 bytes 36 vs 106, 8 bytes 30 vs 93, 16 bytes 139 vs 92. On non-ASCII text Node 20's
 * TextDecoder loses to the manual loop at every length measured (2-byte text, 32 bytes: ~160 vs 220;
 * CJK, 96 bytes: ~240 vs 445), but ASCII (names, keys, ids) dominates the call path, so one cut-over
 * tuned for ASCII is used.
 */
export const MANUAL_DECODE_MAX_BYTES = 12;

/**
 * Writes `str` as UTF-8 at `out[pos]` and returns the number of bytes written. The caller guarantees
 * room for `3 * str.length` bytes (the most UTF-8 can need per UTF-16 code unit).
 */
export function writeUtf8(str: string, out: Uint8Array, pos: number): number {
  const length = str.length;
  if (length > MANUAL_ENCODE_MAX_LENGTH) return textEncoder.encodeInto(str, out.subarray(pos)).written;
  let p = pos;
  for (let i = 0; i < length; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
    } else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < length ? str.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
          out[p++] = 0xf0 | (cp >> 18);
          out[p++] = 0x80 | ((cp >> 12) & 0x3f);
          out[p++] = 0x80 | ((cp >> 6) & 0x3f);
          out[p++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd; // a lone surrogate, as TextEncoder does
      }
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - pos;
}

const fromCharCode = String.fromCharCode;

/** Decodes `bytes[start, start + length)` as UTF-8 (the caller has checked the range is in bounds). */
export function readUtf8(bytes: Uint8Array, start: number, length: number): string {
  if (length > MANUAL_DECODE_MAX_BYTES) return textDecoder.decode(bytes.subarray(start, start + length));
  if (length <= 8) {
    // ASCII fast path: one fromCharCode call with the bytes as arguments, no array.
    let ascii = true;
    for (let i = start, end = start + length; i < end; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return readAsciiUpTo8(bytes, start, length);
  }
  return readUtf8Manual(bytes, start, length);
}

/** Map keys of at most this many bytes go through {@link readKey}'s cache. */
const KEY_CACHE_MAX_BYTES = 16;
const KEY_CACHE_SIZE = 4096; // a power of two
/**
 * Recently decoded ASCII map keys. Objects on the call path repeat the same keys in every message;
 * returning the same string saves decoding it and, more, V8 re-internalizing a fresh string on every
 * property store (measured: 20-field object decode −35%). Shared by all decoders; hostile input can
 * only evict entries.
 */
const keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE).fill(undefined);

/** Like {@link readUtf8}, for a map key: short ASCII keys come from a cache. */
export function readKey(bytes: Uint8Array, start: number, length: number): string {
  if (length > KEY_CACHE_MAX_BYTES || length === 0) return readUtf8(bytes, start, length);
  let hash = length;
  for (let i = start, end = start + length; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return readUtf8(bytes, start, length);
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  const slot = (hash ^ (hash >>> 13)) & (KEY_CACHE_SIZE - 1);
  const cached = keyCache[slot];
  if (cached !== undefined && cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === bytes[start + i]) i++;
    if (i === length) return cached;
  }
  const key = length <= 8 ? readAsciiUpTo8(bytes, start, length) : readUtf8Manual(bytes, start, length);
  keyCache[slot] = key;
  return key;
}

function readAsciiUpTo8(b: Uint8Array, s: number, length: number): string {
  switch (length) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[s]!);
    case 2:
      return fromCharCode(b[s]!, b[s + 1]!);
    case 3:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
  }
}

/** Decodes well-formed UTF-8 by hand; anything else (overlong, surrogates, truncated) goes to TextDecoder. */
function readUtf8Manual(b: Uint8Array, start: number, length: number): string {
  const end = start + length;
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      units.push(c);
      i += 1;
      continue;
    }
    if (c >= 0xc2 && c < 0xe0 && i + 1 < end) {
      const c2 = b[i + 1]!;
      if ((c2 & 0xc0) === 0x80) {
        units.push(((c & 0x1f) << 6) | (c2 & 0x3f));
        i += 2;
        continue;
      }
    } else if (c >= 0xe0 && c < 0xf0 && i + 2 < end) {
      const c2 = b[i + 1]!;
      const c3 = b[i + 2]!;
      if ((c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80) {
        const cp = ((c & 0x0f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
        if (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) {
          units.push(cp);
          i += 3;
          continue;
        }
      }
    } else if (c >= 0xf0 && c < 0xf5 && i + 3 < end) {
      const c2 = b[i + 1]!;
      const c3 = b[i + 2]!;
      const c4 = b[i + 3]!;
      if ((c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80 && (c4 & 0xc0) === 0x80) {
        const cp = ((c & 0x07) << 18) | ((c2 & 0x3f) << 12) | ((c3 & 0x3f) << 6) | (c4 & 0x3f);
        if (cp >= 0x10000 && cp <= 0x10ffff) {
          const u = cp - 0x10000;
          units.push(0xd800 + (u >> 10), 0xdc00 + (u & 0x3ff));
          i += 4;
          continue;
        }
      }
    }
    return textDecoder.decode(b.subarray(start, end));
  }
  return fromCharCode(...units);
}
