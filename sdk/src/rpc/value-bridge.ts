import { ValueCodec, type HookValue } from '../codec/index.js';
import { setDeadlineTimer, type TimerHandle } from '../common/timers.js';
import { SerializationError } from '../errors/errors.js';
import type { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { ExportedReferences } from './exported-references.js';
import { ImportedReferences } from './imported-references.js';
import { nodeStreamAdapter } from './node-stream-adapter.js';
import { isProxyMarked } from './proxy-marker.js';
import { createFunctionRemote, createObjectRemote, remoteInfo, type RemoteOwner } from './remote-factory.js';
import { ExtType, ReferenceKind, STREAM_CHANNEL_LABEL, StreamKind } from './rpc-protocol.js';
import {
  ChannelItemIterator,
  channelToWritableStream,
  drainChannelIntoWritable,
  iteratorToReadableStream,
  pumpToChannel,
  readableStreamItems,
  type StreamCodec,
} from './stream-bridge.js';

/** Side effects of encoding one outgoing message, undone if encoding fails. */
export interface EncodeScope {
  /** True for the arguments of a call: only there may an AbortSignal appear. */
  readonly isCall: boolean;
  readonly signals: AbortSignal[];
  readonly exported: number[];
  readonly channels: MuxChannel[];
  readonly pumps: (() => void)[];
}

/** What decoding one incoming call's arguments produced that the dispatcher must know about. */
export interface DecodeScope {
  controller: AbortController | undefined;
}

const ADOPT = { adopt: true } as const;

/**
 * Turns the values the codec does not know into wire references and back: functions and objects passed with
 * proxy(), streams (each on its own channel), and a call's AbortSignal. Owns the reference tables.
 */
export class ValueBridge {
  readonly exports = new ExportedReferences();
  readonly imports: ImportedReferences;
  readonly codec: ValueCodec;
  readonly #session: MuxSession;
  readonly #owner: RemoteOwner;
  readonly #highWaterMark: number;
  readonly #unclaimedTimeoutMs: number;
  readonly #unclaimed = new Map<number, { channel: MuxChannel; timer: TimerHandle }>();
  readonly #streamCodec: StreamCodec;
  #encodeScope: EncodeScope | undefined;
  #decodeScope: DecodeScope | undefined;
  /** Stream channels claimed by the message being decoded: reset if the rest of it fails to decode. */
  #claimed: MuxChannel[] | undefined;

  constructor(
    session: MuxSession,
    owner: RemoteOwner,
    options: {
      highWaterMark: number;
      unclaimedTimeoutMs: number;
      maxDepth?: number;
      toError: (value: unknown) => Error;
      sendRelease: (referenceId: number, count: number) => void;
    },
  ) {
    this.#session = session;
    this.#owner = owner;
    this.#highWaterMark = options.highWaterMark;
    this.#unclaimedTimeoutMs = options.unclaimedTimeoutMs;
    this.imports = new ImportedReferences(options.sendRelease);
    this.codec = new ValueCodec({
      hooks: {
        encode: (value) => this.#encodeHook(value),
        decode: (type, payload) => this.#decodeHook(type, payload),
      },
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    });
    this.#streamCodec = {
      encode: (value) => this.encode(value, undefined),
      decode: (bytes) => this.decode(bytes, undefined),
      toError: options.toError,
    };
  }

  get unclaimedChannels(): number {
    return this.#unclaimed.size;
  }

  /**
   * Encodes one outgoing message, as one Uint8Array or, when it carries bytes handed over with
   * `transfer()`, as parts for the mux to send uncopied. On failure every side effect (exports, stream
   * channels) is undone.
   */
  encode(value: unknown, scope: EncodeScope | undefined): Uint8Array | Uint8Array[] {
    const effects: EncodeScope = scope ?? {
      isCall: false,
      signals: [],
      exported: [],
      channels: [],
      pumps: [],
    };
    const outer = this.#encodeScope;
    this.#encodeScope = effects;
    try {
      const bytes = this.codec.encodeParts(value);
      if (scope === undefined) this.startPumps(effects);
      return bytes;
    } catch (error) {
      this.rollback(effects);
      throw error;
    } finally {
      this.#encodeScope = outer;
    }
  }

  /** Undoes what encoding a message did (it will not be sent): exports released, stream channels reset. */
  rollback(scope: EncodeScope): void {
    for (const id of scope.exported) this.exports.release(id, 1);
    for (const channel of scope.channels) channel.reset('the message that carried this stream was not sent');
    scope.exported.length = 0;
    scope.channels.length = 0;
    scope.pumps.length = 0;
  }

  /** Starts sending the streams of an encoded message (after the message itself is queued). */
  startPumps(scope: EncodeScope): void {
    for (const start of scope.pumps) start();
    scope.pumps.length = 0;
  }

  /**
   * Decodes one received message. The mux hands each message over (nothing else reads or reuses it), so
   * large binary values are returned as views into it rather than copied.
   */
  decode(bytes: Uint8Array, scope: DecodeScope | undefined): unknown {
    const outer = this.#decodeScope;
    const outerClaimed = this.#claimed;
    const claimed: MuxChannel[] = [];
    this.#decodeScope = scope;
    this.#claimed = claimed;
    try {
      return this.codec.decode(bytes, ADOPT);
    } catch (error) {
      // Nobody will ever read the streams this message carried: close their channels now rather than
      // leave them open (and paused) until the connection closes.
      for (const channel of claimed)
        channel.reset('the message that carried this stream could not be decoded');
      throw error;
    } finally {
      this.#decodeScope = outer;
      this.#claimed = outerClaimed;
    }
  }

  /** A 'stream' channel the peer opened: held paused until the message that carries it claims it. */
  holdStreamChannel(channel: MuxChannel): void {
    channel.pause();
    const timer = setDeadlineTimer(() => {
      this.#unclaimed.delete(channel.id);
      channel.reset('no message claimed this stream channel');
    }, this.#unclaimedTimeoutMs);
    this.#unclaimed.set(channel.id, { channel, timer });
  }

  /** Drops the tables and unclaimed channels (the connection is gone). */
  clear(): void {
    this.exports.clear();
    this.imports.clear();
    for (const { channel, timer } of this.#unclaimed.values()) {
      clearTimeout(timer);
      channel.reset('connection closed');
    }
    this.#unclaimed.clear();
  }

  #encodeHook(value: object): HookValue | undefined {
    const scope = this.#encodeScope;
    if (scope === undefined) return undefined;
    const info = remoteInfo(value);
    if (info !== undefined && typeof info.target === 'number' && info.owner.id === this.#owner.id) {
      return { type: ExtType.ReturnedReference, payload: [info.target] };
    }
    if (isProxyMarked(value)) {
      const entry = this.exports.export(value);
      scope.exported.push(entry.id);
      const methods = entry.kind === ReferenceKind.Function ? [] : [...entry.methods.keys()];
      return { type: ExtType.Reference, payload: [entry.id, entry.kind, methods] };
    }
    if (value instanceof AbortSignal) {
      if (!scope.isCall) {
        throw new SerializationError(
          'An AbortSignal can only be sent as an argument of a call (it cancels that call).',
        );
      }
      scope.signals.push(value);
      return { type: ExtType.AbortSignal, payload: [] };
    }
    const objectMode = nodeStreamAdapter()?.readableObjectMode(value);
    if (objectMode !== undefined) {
      return this.#sendStream(scope, StreamKind.NodeReadable, value as AsyncIterable<unknown>, objectMode);
    }
    if (value instanceof ReadableStream) {
      return this.#sendStream(
        scope,
        StreamKind.ReadableStream,
        readableStreamItems(value as ReadableStream<unknown>),
        true,
      );
    }
    if (value instanceof WritableStream) {
      const channel = this.#session.openChannel(STREAM_CHANNEL_LABEL);
      scope.channels.push(channel);
      scope.pumps.push(() =>
        drainChannelIntoWritable(channel, value as WritableStream<unknown>, this.#streamCodec),
      );
      return { type: ExtType.Stream, payload: [channel.id, StreamKind.WritableStream, true] };
    }
    if (typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function') {
      return this.#sendStream(scope, StreamKind.AsyncIterable, value as AsyncIterable<unknown>, true);
    }
    return undefined;
  }

  #sendStream(
    scope: EncodeScope,
    kind: number,
    source: AsyncIterable<unknown>,
    objectMode: boolean,
  ): HookValue {
    const channel = this.#session.openChannel(STREAM_CHANNEL_LABEL);
    scope.channels.push(channel);
    scope.pumps.push(() => pumpToChannel(channel, source, this.#streamCodec));
    return { type: ExtType.Stream, payload: [channel.id, kind, objectMode] };
  }

  #decodeHook(type: number, payload: unknown): unknown {
    if (!Array.isArray(payload))
      throw new SerializationError(`Extension type ${type} carries a malformed payload.`);
    switch (type) {
      case ExtType.Reference:
        return this.#decodeReference(payload);
      case ExtType.ReturnedReference: {
        const entry = this.exports.get(payload[0] as number);
        if (entry === undefined) {
          throw new SerializationError(
            `The peer sent back reference ${String(payload[0])}, which was already released.`,
          );
        }
        return entry.target;
      }
      case ExtType.Stream:
        return this.#decodeStream(payload);
      case ExtType.AbortSignal: {
        const scope = this.#decodeScope;
        if (scope === undefined) return new AbortController().signal;
        scope.controller ??= new AbortController();
        return scope.controller.signal;
      }
      default:
        throw new SerializationError(
          `Unknown extension type ${type}: the peer speaks a newer protocol; update this side.`,
        );
    }
  }

  #decodeReference(payload: unknown[]): unknown {
    const [id, kind, methods] = payload;
    if (
      !Number.isSafeInteger(id) ||
      (id as number) <= 0 ||
      (kind !== ReferenceKind.Function && kind !== ReferenceKind.Object)
    ) {
      throw new SerializationError('The peer sent a malformed reference.');
    }
    const existing = this.imports.receive(id as number);
    if (existing !== undefined) return existing;
    let remote: object;
    if (kind === ReferenceKind.Function) {
      remote = createFunctionRemote(this.#owner, id as number);
    } else {
      if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) {
        throw new SerializationError('The peer sent a reference with a malformed method list.');
      }
      remote = createObjectRemote(this.#owner, id as number, methods);
    }
    this.imports.add(id as number, remote);
    return remote;
  }

  #decodeStream(payload: unknown[]): unknown {
    const [id, kind, objectMode] = payload;
    const held = typeof id === 'number' ? this.#unclaimed.get(id) : undefined;
    if (held === undefined)
      throw new SerializationError(
        `The peer referred to stream channel ${String(id)}, which it never opened.`,
      );
    this.#unclaimed.delete(held.channel.id);
    clearTimeout(held.timer);
    const { channel } = held;
    this.#claimed?.push(channel);
    if (kind === StreamKind.WritableStream) return channelToWritableStream(channel, this.#streamCodec);
    const iterator = new ChannelItemIterator(channel, this.#streamCodec, this.#highWaterMark);
    if (kind === StreamKind.ReadableStream) return iteratorToReadableStream(iterator);
    if (kind === StreamKind.NodeReadable) {
      // Outside Node there is no Readable: the receiver gets the items as an async iterator.
      const node = nodeStreamAdapter();
      return node === undefined ? iterator : node.toReadable(iterator, objectMode !== false);
    }
    return iterator;
  }
}
