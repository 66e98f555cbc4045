import { extensionMarker } from '../codec/index.js';
import { TetherError } from '../errors/tether-error.js';

/** Type-level brand of a value passed by reference. */
export declare const proxyBrand: unique symbol;

/** A function or object marked with {@link proxy}: it crosses the wire by reference, not by copy. */
export type ProxyMarked<T> = T & { readonly [proxyBrand]: true };

const marked = new WeakSet<object>();

/**
 * Marks a function or object to be passed **by reference**: the other side gets a `Remote` of it and
 * every call goes back to this one. Without the marker a function cannot be sent at all (explicit is
 * safer: nothing becomes callable from another process by accident).
 *
 * The reference is released when the other side disposes its remote (`releaseRemote`) or garbage-collects it.
 */
export function proxy<T extends object>(value: T): ProxyMarked<T> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw new TetherError('INVALID_OPTIONS', 'proxy() takes a function or an object.');
  }
  if (typeof value === 'object' && !Object.prototype.hasOwnProperty.call(value, extensionMarker)) {
    if (!Object.isExtensible(value)) {
      throw new TetherError(
        'INVALID_OPTIONS',
        'proxy() cannot mark a frozen or sealed object; wrap it first, e.g. proxy({ ...value }) or a small facade object.',
      );
    }
    Object.defineProperty(value, extensionMarker, { value: true, enumerable: false, configurable: true });
  }
  marked.add(value);
  return value as ProxyMarked<T>;
}

/** True when `value` was marked with {@link proxy}. */
export function isProxyMarked(value: object): boolean {
  return marked.has(value);
}
