// Byte-for-byte comparison for large buffers in tests. Vitest's `toEqual` on a typed array walks it
// element by element through its generic deep equality (~3 µs per element here: a 1 MiB array takes
// seconds), so large payloads are compared with Buffer.compare instead.

/** Where `actual` first differs from `expected` ("equal" when it does not), for a readable assertion. */
export function firstDifference(actual: Uint8Array, expected: Uint8Array): string {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return 'equal';
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return `byte ${i}: got ${a[i]}, expected ${b[i]} (lengths ${a.length} / ${b.length})`;
  }
  return `lengths differ: got ${a.length} bytes, expected ${b.length}`;
}
