import type { Disposable } from '../common/disposable.js';
import { Emitter } from '../common/event.js';
import { ConnectionClosedError, SerializationError } from '../errors/errors.js';
import { TetherError, isTetherError } from '../errors/tether-error.js';
import type { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel, MuxCloseEvent } from '../mux/mux-types.js';
import { Broker } from './broker.js';
import { ChannelRendezvous } from './channel-rendezvous.js';
import { ChannelEndpoint } from './comlink-endpoint.js';
import { CallAnswerer } from './call-answerer.js';
import { CallTable } from './call-table.js';
import { toRemoteError } from './remote-error.js';
import { ResponsivenessMonitor } from './responsiveness-monitor.js';
import { createServiceRemote, type RemoteOwner } from './remote-factory.js';
import type { CallOptions, Remote } from './remote-types.js';
import {
  resolveRpcPeerOptions,
  type ResolvedRpcPeerOptions,
  type RpcPeerOptions,
  type RpcTrace,
} from './rpc-options.js';
import {
  BROKER_CHANNEL_PREFIX,
  COMLINK_CHANNEL_PREFIX,
  MessageKind,
  PLUGIN_LAYER_CHANNEL_PREFIX,
  RPC_CHANNEL_LABEL,
  STREAM_CHANNEL_LABEL,
} from './rpc-protocol.js';
import type { MethodOptions, ServiceDefinition } from './service.js';
import { peekMessageHeader } from './message-header.js';
import { describeFailure, messageByteLength } from './rpc-trace.js';
import { ValueBridge, type DecodeScope, type EncodeScope } from './value-bridge.js';
import { ServiceRegistry } from './service-registry.js';

/** Counts of what a peer holds, for diagnostics and leak tests. All return to 0 after dispose. */
export interface RpcPeerStats {
  readonly pendingCalls: number;
  /**
   * Calls sent that the peer has neither acknowledged nor answered (calls given up on included), while acks
   * are expected; 0 otherwise.
   */
  readonly unacknowledgedCalls: number;
  readonly runningHandlers: number;
  readonly exportedReferences: number;
  readonly importedReferences: number;
  readonly eventSubscriptions: number;
  readonly unclaimedChannels: number;
}

/**
 * One end of an RPC connection over a mux session. Symmetric: either side can `expose` services and call
 * the other's through `remote(service)`. Calls, callbacks, events and streams all ride the same session.
 */
export class RpcPeer implements Disposable {
  readonly broker: Broker;
  readonly #session: MuxSession;
  readonly #options: ResolvedRpcPeerOptions;
  readonly #calls: CallTable;
  readonly #bridge: ValueBridge;
  readonly #services: ServiceRegistry;
  readonly #outbound: MuxChannel;
  readonly #answerer: CallAnswerer;
  readonly #tracedCalls = new Map<number, { answerBytes: number }>();
  readonly #remotes = new WeakMap<ServiceDefinition<unknown>, object>();
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>();
  readonly #owner: RemoteOwner;
  readonly #comlink: ChannelRendezvous<ChannelEndpoint>;
  readonly #onDidClose = new Emitter<MuxCloseEvent>();
  readonly #onDidFail = new Emitter<Error>();
  readonly #onDidChangeResponsiveness = new Emitter<boolean>();
  /** Present once the peer acknowledges calls (`expectAcks`). */
  #monitor: ResponsivenessMonitor | undefined;
  #closed = false;
  /** Why the connection closed (a protocol violation, a lost connection); later calls fail with it as cause. */
  #closeCause: Error | undefined;

  /** Fires once when the connection is gone. */
  readonly onDidClose = this.#onDidClose.event;
  /** Errors nobody awaits: a failing notification handler, an undeliverable event, a bad message. */
  readonly onDidFail = this.#onDidFail.event;
  /**
   * Fires `false` when the peer becomes unresponsive (calls are outstanding and it acknowledged none for
   * `unresponsiveMs`: its event loop is blocked), `true` at its next sign of life. Only while acks are
   * expected (`expectAcks`).
   */
  readonly onDidChangeResponsiveness = this.#onDidChangeResponsiveness.event;

  constructor(session: MuxSession, options?: RpcPeerOptions) {
    this.#session = session;
    this.#options = resolveRpcPeerOptions(options);
    this.#calls = new CallTable(this.#options.maxPendingCalls);
    this.#owner = {
      id: this,
      call: (target, method, args, callOptions, declared) =>
        this.#call(target, method, args, callOptions, declared),
      subscribe: (service, event, listener) => this.#subscribe(service, event, listener),
      release: (id, remote) => this.#bridge.imports.release(id, remote),
    };
    this.#bridge = new ValueBridge(session, this.#owner, {
      highWaterMark: this.#options.streamHighWaterMark,
      unclaimedTimeoutMs: this.#options.claimTimeout,
      maxDepth: this.#options.maxValueDepth,
      toError: (value) => toRemoteError(value, `a stream from ${this.#options.peerName}`),
      sendRelease: (id, count) => this.#send(MessageKind.Release, [MessageKind.Release, id, count]),
    });
    this.#services = new ServiceRegistry((service, event, payload) =>
      this.#emitEvent(service, event, payload),
    );
    this.#answerer = new CallAnswerer({
      bridge: this.#bridge,
      services: this.#services,
      peerName: this.#options.peerName,
      fail: (error) => this.#onDidFail.fire(error),
      protocolError: (message) => this.#protocolError(message),
      notSent: (error, what) => this.#notSent(error, what),
      tracer: this.#options.tracer,
    });
    this.broker = new Broker(session, session.options.role, this.#options.claimTimeout);
    this.#comlink = new ChannelRendezvous(
      session,
      COMLINK_CHANNEL_PREFIX,
      (channel) => new ChannelEndpoint(channel),
      this.#options.claimTimeout,
    );
    session.onDidOpenChannel((channel) => this.#accept(channel));
    session.onDidClose((event) => this.#shutdown(event));
    this.#outbound = session.openChannel(RPC_CHANNEL_LABEL);
    this.#outbound.onDidReceive((bytes) => this.#receive(bytes, this.#outbound));
    this.#outbound.onDidClose((event) => this.#rpcChannelClosed(this.#outbound, event));
    if (this.#options.sendAcks) this.sendAcks();
    if (this.#options.expectAcks) this.expectAcks();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * False while the peer is unresponsive (see `onDidChangeResponsiveness`). Always true while acks are not
   * expected: a peer that does not acknowledge calls is never flagged.
   */
  get responsive(): boolean {
    return this.#monitor?.responsive ?? true;
  }

  /** Whether this side expects the peer to acknowledge calls, and so tracks its responsiveness. */
  get expectsAcks(): boolean {
    return this.#monitor !== undefined;
  }

  /**
   * From now on, acknowledge the calls this side dispatches with ACK messages (protocol.md section 4.8).
   * Only once the peer asked for them (the handshake's `acks`): an older peer treats an ACK as a protocol
   * violation. Idempotent.
   */
  sendAcks(): void {
    this.#answerer.sendAcks();
  }

  /**
   * From now on, expect the peer to acknowledge the calls this side sends, and track its responsiveness
   * (`responsive`, `onDidChangeResponsiveness`) with the `unresponsiveMs` option. Only once the peer
   * promised ACKs (the handshake's `acks`); calls sent before are not tracked. Idempotent.
   */
  expectAcks(): void {
    if (this.#closed || this.#monitor !== undefined) return;
    this.#monitor = new ResponsivenessMonitor(this.#options.unresponsiveMs, (responsive) =>
      this.#onDidChangeResponsiveness.fire(responsive),
    );
    this.#calls.monitor = this.#monitor;
  }

  /** Serves `implementation` under the service's name until the returned Disposable is disposed. */
  expose<T>(service: ServiceDefinition<T>, implementation: T): Disposable {
    return this.#services.add(service, implementation as object);
  }

  /** Names of the services this side exposes. */
  get exposedServices(): string[] {
    return this.#services.names();
  }

  /** The typed caller for a service the other side exposes. */
  remote<T>(service: ServiceDefinition<T>): Remote<T> {
    let remote = this.#remotes.get(service);
    if (remote === undefined) {
      remote = createServiceRemote(this.#owner, service);
      this.#remotes.set(service, remote);
    }
    return remote as Remote<T>;
  }

  /** Opens a comlink `Endpoint` named `name`; the other side gets its end from `acceptComlinkEndpoint(name)`. */
  openComlinkEndpoint(name: string): ChannelEndpoint {
    return this.#comlink.open(name);
  }

  /** Waits for the other side's `openComlinkEndpoint(name)` and returns this side's comlink `Endpoint`. */
  acceptComlinkEndpoint(name: string, timeoutMs?: number): Promise<ChannelEndpoint> {
    return this.#comlink.accept(name, timeoutMs);
  }

  /** Round-trip time to the other side in ms (a mux PING). */
  ping(): Promise<number> {
    return this.#session.ping();
  }

  stats(): RpcPeerStats {
    let subscriptions = 0;
    for (const listeners of this.#listeners.values()) subscriptions += listeners.size;
    return {
      pendingCalls: this.#calls.size,
      unacknowledgedCalls: this.#monitor?.unacknowledged ?? 0,
      runningHandlers: this.#answerer.size,
      exportedReferences: this.#bridge.exports.size,
      importedReferences: this.#bridge.imports.size,
      eventSubscriptions: subscriptions + this.#services.forwardingCount,
      unclaimedChannels: this.#bridge.unclaimedChannels,
    };
  }

  /** Closes the session in an orderly way; pending calls reject with CONNECTION_CLOSED. */
  close(): void {
    this.#session.close();
  }

  dispose(): void {
    this.#session.dispose();
    this.#shutdown({});
  }

  // ── calling ────────────────────────────────────────────────────────────────────────────────────

  #call(
    target: string | number,
    method: string,
    args: unknown[],
    options: CallOptions | undefined,
    declared: MethodOptions | undefined,
  ): Promise<unknown> {
    const where =
      typeof target === 'string'
        ? `${target}.${method}`
        : method === ''
          ? 'a remote callback'
          : `a remote object's ${method}()`;
    if (this.#closed) return Promise.reject(this.#closedError(where, this.#closeCause));
    if (options?.signal?.aborted === true) {
      return Promise.reject(
        new TetherError('ABORTED', `${where} was not sent: its AbortSignal was already aborted.`, {
          cause: options.signal.reason,
        }),
      );
    }
    let id: number;
    try {
      id = declared?.notification === true ? 0 : this.#calls.nextId(where);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const scope: EncodeScope = { isCall: true, signals: [], exported: [], channels: [], pumps: [] };
    if (options?.signal !== undefined) scope.signals.push(options.signal);
    let bytes: Uint8Array | Uint8Array[];
    try {
      bytes = this.#bridge.encode([MessageKind.Call, id, target, method, args], scope);
    } catch (error) {
      // The codec names paths from the message root; in a CALL, value[4] is the argument list.
      if (error instanceof Error) error.message = error.message.replaceAll('value[4]', 'args');
      return Promise.reject(this.#sendError(error, `the arguments of ${where}`));
    }
    const aborted = scope.signals.find((signal) => signal.aborted);
    if (aborted !== undefined) {
      this.#bridge.rollback(scope);
      return Promise.reject(
        new TetherError('ABORTED', `${where} was not sent: its AbortSignal was already aborted.`, {
          cause: aborted.reason,
        }),
      );
    }
    // Queue the message before registering the call: a message over the limit (or a closed channel) then
    // fails this one call, with nothing left pending. No answer can arrive before this returns.
    try {
      this.#outbound.send(bytes);
    } catch (error) {
      this.#bridge.rollback(scope);
      return Promise.reject(this.#notSent(error, `the arguments of ${where}`));
    }
    this.#bridge.startPumps(scope);
    if (id === 0) return Promise.resolve(undefined);
    const timeout = options?.timeout ?? declared?.timeout ?? this.#options.timeout;
    const promise = this.#calls.add(id, where, timeout, scope.signals, (cancelled) =>
      this.#send(MessageKind.Cancel, [MessageKind.Cancel, cancelled]),
    );
    const trace = this.#options.tracer?.();
    return trace === undefined
      ? promise
      : this.#traced(promise, id, target, method, messageByteLength(bytes), trace);
  }

  /** Reports the call to the tracer once it settles (only while tracing is on). */
  #traced(
    promise: Promise<unknown>,
    id: number,
    target: string | number,
    method: string,
    requestBytes: number,
    trace: (trace: RpcTrace) => void,
  ): Promise<unknown> {
    const started = performance.now();
    const entry = { answerBytes: 0 };
    this.#tracedCalls.set(id, entry);
    const report = (error: unknown): void => {
      this.#tracedCalls.delete(id);
      trace({
        direction: 'outgoing',
        service: typeof target === 'string' ? target : 'reference',
        method,
        durationMs: performance.now() - started,
        bytes: requestBytes + entry.answerBytes,
        bytesOut: requestBytes,
        bytesIn: entry.answerBytes,
        ...(error === undefined ? {} : { error: describeFailure(error) }),
      });
    };
    promise.then(
      () => report(undefined),
      (error: unknown) => report(error ?? 'rejected'),
    );
    return promise;
  }

  // ── receiving ──────────────────────────────────────────────────────────────────────────────────

  #accept(channel: MuxChannel): void {
    if (channel.label === RPC_CHANNEL_LABEL) {
      channel.onDidReceive((bytes) => this.#receive(bytes, channel));
      channel.onDidClose((event) => this.#rpcChannelClosed(channel, event));
    } else if (channel.label === STREAM_CHANNEL_LABEL) {
      this.#bridge.holdStreamChannel(channel);
    } else if (channel.label.startsWith(BROKER_CHANNEL_PREFIX)) {
      this.broker.handleChannel(channel);
    } else if (channel.label.startsWith(PLUGIN_LAYER_CHANNEL_PREFIX)) {
      // 'tether.*' channels belong to the plugin layer (the handshake and control channel); not ours.
    } else if (channel.label.startsWith(COMLINK_CHANNEL_PREFIX)) {
      this.#comlink.handleChannel(channel);
    } else {
      channel.reset(`unknown channel label ${JSON.stringify(channel.label)}`);
    }
  }

  /**
   * One message from the peer. Nothing the peer sends may throw out of here (the mux would rethrow it as an
   * uncaught exception): whatever escapes the checks below closes the session as a protocol error.
   */
  #receive(bytes: Uint8Array, channel: MuxChannel): void {
    try {
      this.#dispatch(bytes, channel);
    } catch (error) {
      this.#protocolError(
        `${this.#options.peerName} sent a message that could not be handled: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  #dispatch(bytes: Uint8Array, channel: MuxChannel): void {
    const scope: DecodeScope = { controller: undefined };
    let message: unknown;
    try {
      message = this.#bridge.decode(bytes, scope);
    } catch (error) {
      this.#undecodable(bytes, channel, error as Error);
      return;
    }
    if (!Array.isArray(message) || typeof message[0] !== 'number') {
      this.#protocolError(`${this.#options.peerName} sent a message that is not an RPC message.`);
      return;
    }
    if (
      this.#tracedCalls.size > 0 &&
      (message[0] === MessageKind.Result || message[0] === MessageKind.Error)
    ) {
      const entry = this.#tracedCalls.get(message[1] as number);
      if (entry !== undefined) entry.answerBytes = bytes.byteLength;
    }
    switch (message[0]) {
      case MessageKind.Call:
        this.#answerer.handleCall(message, channel, scope, bytes.byteLength);
        return;
      case MessageKind.Result:
        this.#calls.resolve(message[1] as number, message[2]);
        return;
      case MessageKind.Error: {
        const id = message[1] as number;
        this.#calls.reject(id, toRemoteError(message[2], this.#calls.where(id) ?? 'a call'));
        return;
      }
      case MessageKind.Cancel:
        this.#answerer.cancel(message[1] as number);
        return;
      case MessageKind.Release:
        this.#bridge.exports.release(message[1] as number, message[2] as number);
        return;
      case MessageKind.Subscribe:
        this.#services.subscribe(String(message[1]), String(message[2]));
        return;
      case MessageKind.Unsubscribe:
        this.#services.unsubscribe(String(message[1]), String(message[2]));
        return;
      case MessageKind.Event:
        this.#deliverEvent(String(message[1]), String(message[2]), message[3]);
        return;
      case MessageKind.Ack:
        this.#acknowledge(message[1]);
        return;
      default:
        this.#protocolError(
          `${this.#options.peerName} sent an unknown RPC message kind ${String(message[0])}.`,
        );
    }
  }

  /** ACK: `[9, [callId, …]]`, a non-empty list of call ids ≥ 1. Ids of calls not in flight are ignored. */
  #acknowledge(ids: unknown): void {
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isCallId)) {
      this.#protocolError(`${this.#options.peerName} sent a malformed ACK message.`);
      return;
    }
    for (const id of ids) this.#calls.acknowledge(id);
  }

  /** A message whose body could not be decoded: fail just the call it belongs to, if its header says which. */
  #undecodable(bytes: Uint8Array, channel: MuxChannel, error: Error): void {
    const header = peekMessageHeader(bytes);
    const reason = `${this.#options.peerName} sent a value that could not be decoded: ${error.message}`;
    if (header === undefined) {
      this.#protocolError(reason);
      return;
    }
    const failure = new SerializationError(reason, { cause: error });
    if (header.kind === MessageKind.Call && header.id !== 0) {
      this.#answerer.failCall(header.id, channel, failure);
    } else if (header.kind === MessageKind.Result || header.kind === MessageKind.Error) {
      this.#calls.reject(header.id, failure);
    } else {
      this.#onDidFail.fire(failure);
    }
  }

  // ── events ─────────────────────────────────────────────────────────────────────────────────────

  #subscribe(service: string, event: string, listener: (payload: unknown) => void): Disposable {
    const key = `${service}\u0000${event}`;
    let listeners = this.#listeners.get(key);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(key, listeners);
      this.#send(MessageKind.Subscribe, [MessageKind.Subscribe, service, event]);
    }
    const wrapped = (payload: unknown): void => listener(payload);
    listeners.add(wrapped);
    let active = true;
    return {
      dispose: () => {
        if (!active) return;
        active = false;
        listeners.delete(wrapped);
        if (listeners.size === 0 && this.#listeners.get(key) === listeners) {
          this.#listeners.delete(key);
          this.#send(MessageKind.Unsubscribe, [MessageKind.Unsubscribe, service, event]);
        }
      },
    };
  }

  #emitEvent(service: string, event: string, payload: unknown): void {
    this.#send(MessageKind.Event, [MessageKind.Event, service, event, payload]);
  }

  #deliverEvent(service: string, event: string, payload: unknown): void {
    const listeners = this.#listeners.get(`${service}\u0000${event}`);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) {
      try {
        listener(payload);
      } catch (error) {
        this.#onDidFail.fire(error as Error);
      }
    }
  }

  // ── plumbing ───────────────────────────────────────────────────────────────────────────────────

  /** Sends a request-side message; failures go to onDidFail (nobody awaits these). */
  #send(kind: number, message: unknown[]): void {
    if (this.#closed || !this.#outbound.writable) return;
    try {
      this.#outbound.send(this.#bridge.encode(message, undefined));
    } catch (error) {
      this.#onDidFail.fire(this.#notSent(error, messageKindNames[kind] ?? `message kind ${kind}`));
    }
  }

  #sendError(error: unknown, what: string): Error {
    if (isTetherError(error, 'SERIALIZATION_ERROR')) {
      return new SerializationError(`${what} could not be sent: ${error.message}`, { cause: error });
    }
    if (this.#closed) return this.#closedError(what);
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Why an encoded message could not be queued: over the message limit, or the channel closed. */
  #notSent(error: unknown, what: string): Error {
    if (isTetherError(error, 'MESSAGE_TOO_LARGE')) {
      const limit = this.#session.options.maxMessageSize;
      return new TetherError(
        'MESSAGE_TOO_LARGE',
        `${what.charAt(0).toUpperCase()}${what.slice(1)} could not be sent: encoded, it is over the maxMessageSize of ${limit} bytes. Send large data as a stream or in smaller pieces, or raise maxMessageSize on both sides.`,
        { cause: error },
      );
    }
    return this.#sendError(error, what);
  }

  #closedError(where: string, cause?: Error): Error {
    const custom = this.#options.closedError;
    if (custom !== undefined) return custom(where, cause);
    return new ConnectionClosedError(
      `The connection to ${this.#options.peerName} closed while ${where} was pending. Restart the plugin and call again.`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** The peer broke the RPC protocol: the session closes with GOAWAY code 1 and this error. */
  #protocolError(message: string): void {
    const error = new TetherError('PROTOCOL_ERROR', message);
    this.#onDidFail.fire(error);
    this.#session.abort(error);
  }

  /**
   * An RPC channel closed while the session lives. A message over this side's limit (the peer ignored
   * maxMessageSize) is a protocol violation: the session closes. A channel the peer reset can carry no
   * more answers: the calls waiting on it fail now instead of never; later calls fail as they are sent.
   */
  #rpcChannelClosed(channel: MuxChannel, event: MuxCloseEvent): void {
    if (this.#closed || this.#session.closed || event.error === undefined) return;
    const reason = `${this.#options.peerName} broke the RPC channel ${channel.id}: ${event.error.message}`;
    if (isTetherError(event.error, 'MESSAGE_TOO_LARGE')) this.#protocolError(reason);
    else if (channel === this.#outbound) {
      this.#calls.rejectAll(
        (where) => new ConnectionClosedError(`${where} failed: ${reason}`, { cause: event.error }),
      );
    }
  }

  #shutdown(event: MuxCloseEvent): void {
    if (this.#closed) return;
    this.#closed = true;
    const cause = event.error;
    this.#closeCause = cause;
    this.#calls.rejectAll((where) => this.#closedError(where, cause));
    this.#monitor?.dispose();
    this.#answerer.close();
    this.broker.close(this.#closedError('a broker accept'));
    this.#bridge.clear();
    this.#services.clear();
    this.#listeners.clear();
    this.#comlink.close(this.#closedError('a comlink endpoint'));
    this.#onDidClose.fire(event);
    this.#onDidClose.dispose();
    this.#onDidFail.dispose();
    this.#onDidChangeResponsiveness.dispose();
  }
}

const messageKindNames: Partial<Record<number, string>> = {
  [MessageKind.Event]: 'an event',
  [MessageKind.Cancel]: 'a cancellation',
  [MessageKind.Release]: 'a reference release',
  [MessageKind.Subscribe]: 'an event subscription',
  [MessageKind.Unsubscribe]: 'an event unsubscription',
};

function isCallId(id: unknown): id is number {
  return Number.isSafeInteger(id) && (id as number) > 0;
}
