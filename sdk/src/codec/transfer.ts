/**
 * `transfer(bytes)`: the caller hands a `Uint8Array` over to Tether, which then sends it without copying
 * it (as a call argument, a result, an event or a stream item), the way a Node `Writable` takes a chunk.
 * The bytes are read when they are written to the connection, which may be after the call returns: do not
 * modify them afterwards. Without `transfer`, values are copied when the message is encoded (the
 * structured-clone semantics of postMessage).
 */

/** Below this size a transferred value is copied anyway: a separate write chunk would cost more. */
export const TRANSFER_MIN_BYTES = 4096;

const transferred = new WeakSet<Uint8Array>();

/** Marks `bytes` as handed over (see the module doc) and returns it, for `remote.save(transfer(data))`. */
export function transfer<T extends Uint8Array>(bytes: T): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`transfer() takes a Uint8Array (or a Buffer); got ${typeof bytes}.`);
  }
  transferred.add(bytes);
  return bytes;
}

/** True when `bytes` was handed over with {@link transfer}. */
export function isTransferred(bytes: Uint8Array): boolean {
  return transferred.has(bytes);
}
