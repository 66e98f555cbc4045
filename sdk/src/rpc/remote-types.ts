import type { Event } from '../common/event.js';
import type { ProxyMarked } from './proxy-marker.js';
import type { EventKeys, MethodKeys } from './service.js';

/**
 * What the caller holds for a remote service or a remote object passed by reference: every method returns
 * a promise; events stay `Event<X>` (subscribing crosses the wire). Arguments that are functions must be
 * marked with `proxy()`; functions and `proxy()`-marked objects that come back are remotes themselves.
 */
export type Remote<T> = {
  readonly [K in MethodKeys<T>]: RemoteFunction<T[K]>;
} & {
  readonly [K in EventKeys<T>]: T[K] extends Event<infer E> ? Event<E> : never;
} & { readonly [remoteBrand]: T };

/**
 * Type-level only (no such property exists at run time): marks a Remote so that a contract can say a
 * parameter is an object passed by reference (`counter: Remote<Counter>`), which the caller then passes as
 * `proxy(localCounter)`.
 */
declare const remoteBrand: unique symbol;

/** A remote function: same parameters (callbacks must be `proxy()`-marked), result always a promise. */
export type RemoteFunction<F> = F extends (...args: infer A) => infer R
  ? (...args: LocalArgs<A>) => Promise<RemoteResult<Awaited<R>>>
  : never;

/** The arguments a caller passes: function-typed parameters require the `proxy()` marker. */
export type LocalArgs<A extends readonly unknown[]> = { [I in keyof A]: LocalArg<A[I]> };

/** One argument as the caller passes it. A callback may be synchronous on the caller's side. */
export type LocalArg<P> = P extends { readonly [remoteBrand]: infer U }
  ? ProxyMarked<U> | P
  : P extends (...args: infer FA) => infer FR
    ? ProxyMarked<(...args: FA) => FR | Awaited<FR>>
    : P;

/** What a caller receives for a result of type `R`. */
export type RemoteResult<R> =
  R extends ProxyMarked<infer U>
    ? U extends (...args: never[]) => unknown
      ? RemoteFunction<U>
      : Remote<U>
    : R extends (...args: never[]) => unknown
      ? RemoteFunction<R>
      : R;

/** Options of one call, set with `withCallOptions(remote, options)`. */
export interface CallOptions {
  /**
   * Rejects with RpcTimeoutError (code TIMEOUT) after this many ms and cancels the remote handler (its
   * `currentCall().signal` aborts). 0 = none.
   */
  readonly timeout?: number;
  /**
   * Aborting rejects the call at once (code ABORTED) and tells the remote side (CANCEL): the handler's
   * `currentCall().signal` aborts, and so does its AbortSignal argument if the method takes one.
   */
  readonly signal?: AbortSignal;
}
