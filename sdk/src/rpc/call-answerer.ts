import { ConnectionClosedError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { AckBatcher } from './ack-batcher.js';
import { runInCall, type CallContextOwner, type IncomingCall } from './call-context.js';
import type { RpcTrace } from './rpc-options.js';
import { MessageKind } from './rpc-protocol.js';
import { describeFailure, messageByteLength } from './rpc-trace.js';
import type { ServiceRegistry } from './service-registry.js';
import type { DecodeScope, EncodeScope, ValueBridge } from './value-bridge.js';

/** What the answering side needs from its peer. */
export interface CallAnswererContext {
  readonly bridge: ValueBridge;
  readonly services: ServiceRegistry;
  /** Name of the other side in messages, e.g. 'plugin "greeter"'. */
  readonly peerName: string;
  /** An error nobody awaits (a failing notification handler, an answer that could not be sent). */
  fail(error: Error): void;
  /** The peer broke the RPC protocol: close the session. */
  protocolError(message: string): void;
  /** Why an encoded answer could not be queued (over the message limit, the channel closed). */
  notSent(error: unknown, what: string): Error;
  /** The RPC inspector's hook (`RpcPeerOptions.tracer`), asked once per incoming call. */
  readonly tracer?: (() => ((trace: RpcTrace) => void) | undefined) | undefined;
}

/** An incoming call being traced: reported once its answer is encoded. */
interface TracedCall {
  readonly service: string;
  readonly method: string;
  readonly started: number;
  readonly requestBytes: number;
  readonly report: (trace: RpcTrace) => void;
}

/**
 * The callee's side of calls (the pair of `CallTable`, the caller's side): dispatches each CALL to a declared
 * method of an exposed service or to a reference, runs the handler, and answers RESULT or ERROR on the
 * channel the call came in on, exactly once. Runs each handler with its call's context (`currentCall()`),
 * whose signal CANCEL and the connection's end abort.
 */
export class CallAnswerer implements CallContextOwner {
  readonly #context: CallAnswererContext;
  /**
   * Calls being handled: callId → what CANCEL aborts. The context its handler asked for (`currentCall()`),
   * else the controller of its AbortSignal argument, else undefined.
   */
  readonly #running = new Map<number, IncomingCall | AbortController | undefined>();
  /** Incoming calls traced while the tracer is on (callId → what to report when answered). */
  readonly #traced = new Map<number, TracedCall>();
  /** Present once this side acknowledges calls (`sendAcks`). */
  #acks: AckBatcher | undefined;
  #closed = false;

  constructor(context: CallAnswererContext) {
    this.#context = context;
  }

  /** Handlers running now (for stats). */
  get size(): number {
    return this.#running.size;
  }

  /**
   * From now on, acknowledge every call whose handler does not answer at once (protocol.md section 4.8).
   * Idempotent.
   */
  sendAcks(): void {
    if (this.#closed) return;
    this.#acks ??= new AckBatcher(
      (id) => this.#running.has(id),
      (channel, ids) => this.#sendAck(channel, ids),
    );
  }

  /** A decoded CALL message (`requestBytes` long, encoded): validates it, runs the handler, answers. */
  handleCall(message: unknown[], channel: MuxChannel, scope: DecodeScope, requestBytes = 0): void {
    const [, id, target, method, args] = message;
    if (
      !Number.isSafeInteger(id) ||
      (id as number) < 0 ||
      (typeof target !== 'string' && typeof target !== 'number') ||
      typeof method !== 'string' ||
      !Array.isArray(args)
    ) {
      this.#context.protocolError(`${this.#context.peerName} sent a malformed CALL message.`);
      return;
    }
    const callId = id as number;
    const where =
      typeof target === 'string'
        ? `${target}.${method}`
        : `reference ${target}${method === '' ? '' : `.${method}`}`;
    let result: unknown;
    if (callId !== 0) {
      this.#running.set(callId, scope.controller);
      const report = this.#context.tracer?.();
      if (report !== undefined) {
        const service = typeof target === 'string' ? target : 'reference';
        this.#traced.set(callId, { service, method, started: performance.now(), requestBytes, report });
      }
    }
    try {
      const [fn, self] =
        typeof target === 'string'
          ? this.#context.services.lookup(target, method)
          : this.#lookupReference(target, method);
      result = runInCall(this, callId, target, method, scope.controller, fn, self, args);
    } catch (error) {
      this.#answer(channel, callId, where, error, true);
      return;
    }
    if (
      result instanceof Promise ||
      (typeof result === 'object' &&
        result !== null &&
        typeof (result as PromiseLike<unknown>).then === 'function')
    ) {
      (result as PromiseLike<unknown>).then(
        (value) => this.#answer(channel, callId, where, value, false),
        (error: unknown) => this.#answer(channel, callId, where, error, true),
      );
      if (this.#acks !== undefined && callId !== 0) this.#acks.add(callId, channel);
    } else {
      this.#answer(channel, callId, where, result, false);
    }
  }

  /** A handler asked for its call's context: CANCEL and the connection's end abort it from now on. */
  adopt(call: IncomingCall): void {
    if (this.#running.has(call.callId)) this.#running.set(call.callId, call);
  }

  /** A CALL whose body could not be decoded: answered ERROR at once with `failure`. */
  failCall(id: number, channel: MuxChannel, failure: Error): void {
    this.#running.set(id, undefined);
    this.#answer(channel, id, 'a call', failure, true);
  }

  /** CANCEL: the caller gave up on call `id`; abort its handler's signal (the answer is still sent). */
  cancel(id: number): void {
    this.#running
      .get(id)
      ?.abort(
        new TetherError(
          'ABORTED',
          'The caller cancelled this call (its AbortSignal aborted or its timeout passed); stop the work, its answer will be ignored.',
        ),
      );
  }

  /** The connection is gone: every running handler's signal aborts, and no answer is sent any more. */
  close(): void {
    this.#closed = true;
    this.#acks?.dispose();
    for (const call of this.#running.values()) {
      call?.abort(new ConnectionClosedError(`The connection to ${this.#context.peerName} closed.`));
    }
    this.#running.clear();
    this.#traced.clear();
  }

  #lookupReference(id: number, method: string): [(...args: unknown[]) => unknown, unknown] {
    const entry = this.#context.bridge.exports.get(id);
    if (entry === undefined) {
      throw new TetherError(
        'REFERENCE_RELEASED',
        `Reference ${id} was released (or never existed); the caller must not use it any more.`,
      );
    }
    if (method === '') {
      if (typeof entry.target !== 'function')
        throw new TetherError('METHOD_NOT_FOUND', `Reference ${id} is an object, not a function.`);
      return [entry.target as (...args: unknown[]) => unknown, undefined];
    }
    const fn = entry.methods.get(method);
    if (fn === undefined) {
      throw new TetherError(
        'METHOD_NOT_FOUND',
        `The object passed by reference has no method ${JSON.stringify(method)}.`,
      );
    }
    return [fn, entry.target];
  }

  #answer(channel: MuxChannel, id: number, where: string, value: unknown, failed: boolean): void {
    if (id === 0) {
      if (failed)
        this.#context.fail(
          value instanceof Error ? value : new Error(`notification ${where} failed: ${String(value)}`),
        );
      return;
    }
    if (!this.#running.delete(id)) return;
    this.#acks?.answered(id);
    const traced = this.#traced.size === 0 ? undefined : this.#traced.get(id);
    if (traced !== undefined) this.#traced.delete(id);
    if (this.#closed || !channel.writable) return;
    const what = `${failed ? 'The error thrown by' : 'The result of'} ${where}`;
    const bridge = this.#context.bridge;
    const scope: EncodeScope = { isCall: false, signals: [], exported: [], channels: [], pumps: [] };
    try {
      // An answer that cannot be encoded, or is over the message limit, is answered with an ERROR for this
      // call (protocol.md section 4.2); the connection and every other call go on.
      const answer = bridge.encode(
        failed ? [MessageKind.Error, id, value] : [MessageKind.Result, id, value],
        scope,
      );
      channel.send(answer);
      bridge.startPumps(scope);
      if (traced !== undefined) reportIncoming(traced, messageByteLength(answer), failed, value);
    } catch (error) {
      bridge.rollback(scope);
      const failure = this.#context.notSent(error, what);
      this.#answerFailure(channel, id, failure);
      if (traced !== undefined) reportIncoming(traced, 0, true, failure);
    }
  }

  #sendAck(channel: MuxChannel, ids: number[]): void {
    if (this.#closed || !channel.writable) return;
    try {
      channel.send(this.#context.bridge.encode([MessageKind.Ack, ids], undefined));
    } catch (error) {
      this.#context.fail(this.#context.notSent(error, 'an acknowledgement'));
    }
  }

  /** Answers call `id` with `error` (plain: code, name, message, stack), never throwing. */
  #answerFailure(channel: MuxChannel, id: number, error: Error): void {
    try {
      channel.send(this.#context.bridge.encode([MessageKind.Error, id, plainError(error)], undefined));
    } catch (failure) {
      // Even the plain error could not go (the channel closed meanwhile): nobody is left to tell but us.
      this.#context.fail(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }
}

function reportIncoming(call: TracedCall, answerBytes: number, failed: boolean, error: unknown): void {
  call.report({
    direction: 'incoming',
    service: call.service,
    method: call.method,
    durationMs: performance.now() - call.started,
    bytes: call.requestBytes + answerBytes,
    bytesOut: answerBytes,
    bytesIn: call.requestBytes,
    ...(failed ? { error: describeFailure(error ?? 'rejected') } : {}),
  });
}

function plainError(error: Error): Error {
  const copy = new Error(error.message);
  copy.name = error.name;
  copy.stack = error.stack ?? '';
  (copy as Error & { code?: string }).code =
    (error as Error & { code?: string }).code ?? 'SERIALIZATION_ERROR';
  return copy;
}
