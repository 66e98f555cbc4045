/**
 * Copies bytes into a fresh Uint8Array that owns its whole ArrayBuffer (never a view into a pool or the
 * input, so a transport may retain or transfer it).
 */
import { UNINITIALIZED_ALLOC_MIN, allocBytes } from '../common/alloc-bytes.js';

export { allocBytes } from '../common/alloc-bytes.js';

/** A copy of `source[start, end)` in a fresh, exactly-sized ArrayBuffer at offset 0. */
export function copyBytes(source: Uint8Array, start: number, end: number): Uint8Array<ArrayBuffer> {
  const length = end - start;
  // The intrinsic slice: on a Node Buffer, `slice` is an alias that shares memory.
  if (length < UNINITIALIZED_ALLOC_MIN) return Uint8Array.prototype.slice.call(source, start, end);
  const copy = allocBytes(length);
  copy.set(source.subarray(start, end));
  return copy;
}
