/**
 * Fresh byte buffers for the hot path. From {@link UNINITIALIZED_ALLOC_MIN} bytes on, a buffer is taken
 * from Node without zero-filling it (`Buffer.allocUnsafeSlow`: not pooled, its own ArrayBuffer), for callers
 * that write every byte before anything reads it.
 */

/** From this size on, Node's uninitialised allocation beats a zeroed one (measured 1 MiB: ~60 vs ~115 µs). */
export const UNINITIALIZED_ALLOC_MIN = 256 * 1024;

interface BufferStatics {
  allocUnsafeSlow(size: number): Uint8Array<ArrayBuffer>;
}
/** Node's Buffer when present (the sdk also runs where it is not). */
const nodeBuffer = (globalThis as { Buffer?: BufferStatics }).Buffer;

/**
 * A fresh buffer of `length` bytes at offset 0 that owns its ArrayBuffer. From
 * {@link UNINITIALIZED_ALLOC_MIN} bytes on its content is NOT zeroed: the caller writes every byte it uses.
 */
export function allocBytes(length: number): Uint8Array<ArrayBuffer> {
  if (length < UNINITIALIZED_ALLOC_MIN || nodeBuffer === undefined) return new Uint8Array(length);
  const fresh = nodeBuffer.allocUnsafeSlow(length);
  return new Uint8Array(fresh.buffer, fresh.byteOffset, length);
}
