import { TetherError } from '../errors/tether-error.js';

/**
 * What a handler knows about the call it answers, from {@link currentCall}: which call it is, and a signal
 * that aborts when the caller stops waiting. A handler needs no `AbortSignal` parameter in its contract to
 * learn that its caller gave up.
 */
export interface CallContext {
  /** The call's id on this connection; 0 for a notification (a call that expects no answer). */
  readonly callId: number;
  /** The service called, or undefined for a call on a reference (a callback or an object passed by proxy()). */
  readonly service: string | undefined;
  /** The method called; '' for a call of a function passed by reference. */
  readonly method: string;
  /**
   * Aborts when the caller gives up on the call — its AbortSignal aborted (an argument, or
   * `withCallOptions(remote, { signal })`) or its timeout passed; the reason is an ABORTED TetherError —
   * or when the connection closes (reason: CONNECTION_CLOSED). Stop the work then: the caller has its
   * answer already and ignores this one. When the call carries an `AbortSignal` argument, this is that
   * argument. A notification's signal never aborts: nobody waits for its answer.
   */
  readonly signal: AbortSignal;
}

/**
 * The context of one incoming call, made when its handler first calls {@link currentCall}. Its
 * AbortController (unless the call's AbortSignal argument brought one) is made when `signal` is first read.
 */
export class IncomingCall implements CallContext {
  readonly callId: number;
  readonly service: string | undefined;
  readonly method: string;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** `controller`: the one made for the call's AbortSignal argument, if it has one. */
  constructor(
    callId: number,
    service: string | undefined,
    method: string,
    controller: AbortController | undefined,
  ) {
    this.callId = callId;
    this.service = service;
    this.method = method;
    this.#controller = controller;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** The caller gave up, or the connection closed: aborts the signal (now, or once it is read). Once. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/** What {@link runInCall} needs of the dispatcher: to keep the context a handler asked for, for CANCEL. */
export interface CallContextOwner {
  /** A handler asked for the context of call `call.callId`: abort it when that call is cancelled. */
  adopt(call: IncomingCall): void;
}

// The call whose handler is running now (synchronously), if any: what its context is made of, and the
// context once made. Plain variables, so that a call whose handler never asks allocates nothing.
let owner: CallContextOwner | undefined;
let callId = 0;
let target: string | number = '';
let method = '';
let controller: AbortController | undefined;
let context: IncomingCall | undefined;

/**
 * Runs a handler (`fn` with `self` as `this`) as the handler of call `id` (to `to.name`; `argController` is
 * the controller of its AbortSignal argument, if any): the dispatcher's side of {@link currentCall}. The
 * call is current for the synchronous part of the handler only, up to its first `await`. A slot set and
 * restored around the handler works in any JS runtime and costs a few assignments; the context object is
 * made only when the handler asks for it. (Node's AsyncLocalStorage would keep the call current across
 * awaits, but once enabled it slows every promise of the process: measured about +10% CPU per small call and
 * +25% with 64 in flight, both peers in one process, Node 20.)
 */
export function runInCall(
  by: CallContextOwner,
  id: number,
  to: string | number,
  name: string,
  argController: AbortController | undefined,
  fn: (...args: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
): unknown {
  // Saved in locals, not an array: a handler that runs another synchronously (a transport that delivers
  // in the same tick) gets its own call back afterwards, and the common case allocates nothing.
  const outerOwner = owner;
  const outerId = callId;
  const outerTarget = target;
  const outerMethod = method;
  const outerController = controller;
  const outerContext = context;
  owner = by;
  callId = id;
  target = to;
  method = name;
  controller = argController;
  context = undefined;
  try {
    return fn.apply(self, args);
  } finally {
    owner = outerOwner;
    callId = outerId;
    target = outerTarget;
    method = outerMethod;
    controller = outerController;
    context = outerContext;
  }
}

/**
 * The call the running handler answers: its id, service, method and a signal that aborts when the caller
 * gives up. Works in any handler: service methods, callbacks and objects passed by `proxy()`. Read it in
 * the handler's synchronous part, before its first `await`, and keep what you need (after an await it
 * throws: the same in every JS runtime, a browser too):
 *
 * ```ts
 * async convert(file) {
 *   const { signal } = currentCall();
 *   for (const page of pages(file)) {
 *     signal.throwIfAborted(); // the caller gave up: stop
 *     await render(page);
 *   }
 * }
 * ```
 *
 * Throws TetherError NO_CALL_CONTEXT outside a handler, or after its first await.
 */
export function currentCall(): CallContext {
  if (context !== undefined) return context;
  if (owner !== undefined) {
    context = new IncomingCall(callId, typeof target === 'string' ? target : undefined, method, controller);
    owner.adopt(context);
    return context;
  }
  throw new TetherError(
    'NO_CALL_CONTEXT',
    "currentCall() was called outside a call handler, or after the handler's first await. Read it first thing in the handler, before any await, and keep what you need: `const { signal } = currentCall();`.",
  );
}
