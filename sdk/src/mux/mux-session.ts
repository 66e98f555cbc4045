import { deferred, type Deferred } from '../common/deferred.js';
import { DisposableStore, type Disposable } from '../common/disposable.js';
import { Emitter, type Event } from '../common/event.js';
import { ConnectionClosedError, FramingError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import type { Transport, TransportCloseEvent } from '../transport/transport.js';
import {
  FrameFlag,
  FrameType,
  GoAwayCode,
  MAX_CHANNEL_ID,
  MAX_LABEL_BYTES,
  MAX_REASON_BYTES,
  PING_PAYLOAD_SIZE,
  frameTypeName,
  protocolViolation,
  type FrameType as FrameTypeValue,
} from './frame.js';
import { FrameDecoder, readU32 } from './frame-decoder.js';
import { FrameEncoder } from './frame-encoder.js';
import { MuxChannelImpl, type ChannelHost } from './mux-channel.js';
import { resolveMuxOptions, type ResolvedMuxOptions } from './mux-options.js';
import type { MuxChannel, MuxCloseEvent, MuxSessionOptions } from './mux-types.js';
import { utf8Decode, utf8Encode, utf8EncodeTruncated } from './utf8.js';

/** How a session ends (see `#shutdown`). */
interface Shutdown {
  /** For `onDidClose`; absent for an orderly close. */
  readonly error: TetherError | undefined;
  /** What the channels still open close with. */
  readonly channelError: TetherError;
  /** GOAWAY to send (after everything already queued) before closing the transport. */
  readonly goAway?: { readonly code: number; readonly reason: string };
  readonly transport: 'close' | 'dispose' | 'none';
}

interface PendingPing {
  readonly start: number;
  readonly pending: Deferred<number>;
}

const goAwayCodeNames: Record<number, string> = {
  [GoAwayCode.Normal]: 'normal close',
  [GoAwayCode.ProtocolError]: 'protocol error',
  [GoAwayCode.InternalError]: 'internal error',
};

/**
 * One transport carrying many logical channels (like yamux under go-plugin). Frames queued during a tick
 * are written with ONE `transport.write` at the end of the microtask queue. The session owns the transport:
 * `close()` and `dispose()` close it, and a closed transport closes the session.
 *
 * Peer-opened channels arrive through `onDidOpenChannel`, synchronously while their OPEN frame is processed,
 * so a listener can attach (or `pause()`) before any of their DATA is. With no listener, peer-opened channels
 * are reset at once ("no listener for peer-opened channels").
 */
export class MuxSession implements Disposable {
  readonly #transport: Transport;
  readonly #options: ResolvedMuxOptions;
  readonly #encoder = new FrameEncoder();
  readonly #decoder: FrameDecoder;
  readonly #channels = new Map<number, MuxChannelImpl>();
  readonly #host: ChannelHost;
  readonly #subscriptions = new DisposableStore();
  readonly #pings = new Map<number, PendingPing>();
  readonly #localParity: number;
  #nextLocalId: number;
  #highestPeerId = 0;
  #nextPingId = 1;
  /** Bytes of half-received messages held across all channels (see `maxReassemblyBytes`). */
  #partialBytes = 0;
  #flushScheduled = false;
  #closed = false;

  readonly #onDidOpenChannel = new Emitter<MuxChannel>();
  readonly #onDidClose = new Emitter<MuxCloseEvent>();
  /** A channel the peer opened; fires while its OPEN is processed, before any of its DATA. */
  readonly onDidOpenChannel: Event<MuxChannel> = this.#onDidOpenChannel.event;
  /** Fires once when the session closes; `error` is set for a protocol violation or a lost connection. */
  readonly onDidClose: Event<MuxCloseEvent> = this.#onDidClose.event;

  /** Throws TetherError('INVALID_OPTIONS') for bad options. */
  constructor(transport: Transport, options: MuxSessionOptions) {
    this.#options = resolveMuxOptions(options);
    this.#transport = transport;
    this.#localParity = this.#options.role === 'initiator' ? 1 : 0;
    this.#nextLocalId = this.#options.role === 'initiator' ? 1 : 2;
    this.#decoder = new FrameDecoder(
      this.#options.maxFrameSize,
      (type, flags, channel, payload) => this.#handleFrame(type, flags, channel, payload),
      (error) => this.#fail(error),
      // Channels join MORE fragments anyway: large DATA payloads reach them as uncopied pieces.
      { splitData: true },
    );
    this.#host = {
      options: this.#options,
      frame: (type, flags, channel, payload) => {
        if (this.#closed) return;
        this.#encoder.frame(type, flags, channel, payload);
        this.#scheduleFlush();
      },
      window: (channel, increment) => {
        if (this.#closed) return;
        this.#encoder.window(channel, increment);
        this.#scheduleFlush();
      },
      protocolError: (problem) => this.#fail(protocolViolation(problem)),
      holdPartial: (bytes) => this.#holdPartial(bytes),
      channelClosed: (channel) => {
        if (this.#channels.get(channel.id) === channel) this.#channels.delete(channel.id);
      },
    };
    this.#subscriptions.add(transport.onDidReceive((chunk) => this.#decoder.push(chunk)));
    this.#subscriptions.add(transport.onDidClose((event) => this.#handleTransportClose(event)));
    if (transport.closed) queueMicrotask(() => this.#handleTransportClose({}));
  }

  /** True once the session is closed (for any reason). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Channels open now (both directions), counted against `maxChannels`. */
  get channelCount(): number {
    return this.#channels.size;
  }

  /** The options in effect, defaults filled in. */
  get options(): ResolvedMuxOptions {
    return this.#options;
  }

  /**
   * Opens a channel. The peer sees it through `onDidOpenChannel`; messages can be sent at once (no round trip).
   * Throws TetherError('CHANNEL_LIMIT') when `maxChannels` are open, ConnectionClosedError when the session
   * is closed, TetherError('INVALID_OPTIONS') for a label over 255 UTF-8 bytes.
   */
  openChannel(label: string): MuxChannel {
    if (this.#closed) {
      throw new ConnectionClosedError(
        `Cannot open channel '${label}': the connection to the peer is closed. Open a new session.`,
      );
    }
    const labelBytes = utf8Encode(label);
    if (labelBytes.byteLength > MAX_LABEL_BYTES) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `A channel label is at most ${MAX_LABEL_BYTES} bytes of UTF-8; '${label.slice(0, 40)}…' is ${labelBytes.byteLength}. Use a shorter label.`,
      );
    }
    const limit = this.#options.maxChannels;
    if (this.#channels.size >= limit) {
      throw new TetherError(
        'CHANNEL_LIMIT',
        `Cannot open channel '${label}': ${this.#channels.size} channels are open, the limit (maxChannels = ${limit}). Close channels that are no longer used, or raise the maxChannels option.`,
      );
    }
    const id = this.#nextLocalId;
    if (id > MAX_CHANNEL_ID) {
      throw new TetherError(
        'CHANNEL_LIMIT',
        `Cannot open channel '${label}': this session has used all of its channel ids (ids are never reused). Open a new session.`,
      );
    }
    this.#nextLocalId = id + 2;
    const channel = new MuxChannelImpl(this.#host, id, label, true);
    this.#channels.set(id, channel);
    this.#host.frame(FrameType.Open, 0, id, labelBytes);
    channel.grantInitialWindow();
    return channel;
  }

  /** Measures a round trip to the peer, in milliseconds. Rejects with ConnectionClosedError if the session closes first. */
  ping(): Promise<number> {
    if (this.#closed) {
      return Promise.reject(new ConnectionClosedError('Cannot ping: the connection to the peer is closed.'));
    }
    const id = this.#nextPingId;
    this.#nextPingId = id + 1;
    const payload = new Uint8Array(PING_PAYLOAD_SIZE);
    const view = new DataView(payload.buffer);
    view.setUint32(0, Math.floor(id / 0x1_0000_0000));
    view.setUint32(4, id >>> 0);
    const pending = deferred<number>();
    this.#pings.set(id, { start: performance.now(), pending });
    this.#host.frame(FrameType.Ping, 0, 0, payload);
    return pending.promise;
  }

  /**
   * Closes gracefully: frames already queued are written, then GOAWAY (code 0, `reason`), then the transport
   * is closed. Channels still open close with ConnectionClosedError; data still waiting for credit is dropped.
   * Idempotent.
   */
  close(reason = ''): void {
    if (this.#closed) return;
    this.#shutdown({
      error: undefined,
      channelError: new ConnectionClosedError(
        `The connection to the peer closed: this side closed the mux session${reason === '' ? '' : ` (${reason})`} before the channel was finished.`,
      ),
      goAway: { code: GoAwayCode.Normal, reason },
      transport: 'close',
    });
  }

  /**
   * Closes the session because the peer broke a rule of a layer above the mux (the RPC messages, the
   * handshake): frames already queued are written, then GOAWAY with code 1 (protocol error) and
   * `error.message` as the reason, then the transport is closed. `onDidClose` fires with `error`, and the
   * channels still open close with it. Idempotent.
   */
  abort(error: TetherError): void {
    if (this.#closed) return;
    this.#shutdown({
      error,
      channelError: error,
      goAway: { code: GoAwayCode.ProtocolError, reason: error.message },
      transport: 'close',
    });
  }

  /** Tears down at once: disposes the transport; queued frames are lost. Idempotent. */
  dispose(): void {
    if (this.#closed) return;
    this.#shutdown({
      error: undefined,
      channelError: new ConnectionClosedError(
        'The connection to the peer closed: this side disposed the mux session before the channel was finished.',
      ),
      transport: 'dispose',
    });
  }

  // ── Incoming frames ──────────────────────────────────────────────────────────────────────────────────

  #handleFrame(type: FrameTypeValue, flags: number, id: number, payload: Uint8Array): void {
    if (this.#closed) return;
    switch (type) {
      case FrameType.Data: {
        const channel = this.#channels.get(id);
        if (channel !== undefined) channel.handleData(flags, payload);
        else this.#checkClosedChannel(type, id);
        return;
      }
      case FrameType.Window: {
        const channel = this.#channels.get(id);
        if (channel !== undefined) channel.handleWindow(readU32(payload, 0));
        else this.#checkClosedChannel(type, id);
        return;
      }
      case FrameType.End: {
        const channel = this.#channels.get(id);
        if (channel !== undefined) channel.handleEnd();
        else this.#checkClosedChannel(type, id);
        return;
      }
      case FrameType.Reset: {
        const channel = this.#channels.get(id);
        if (channel !== undefined) channel.handleReset(payload);
        else this.#checkClosedChannel(type, id);
        return;
      }
      case FrameType.Open:
        this.#handleOpen(id, payload);
        return;
      case FrameType.Ping:
        this.#handlePing(flags, payload);
        return;
      case FrameType.GoAway:
        this.#handleGoAway(payload);
        return;
    }
  }

  /** A channel frame for an id not open now: ignored if the id was opened earlier (it raced a close), else a violation. */
  #checkClosedChannel(type: number, id: number): void {
    const openedEarlier = id % 2 === this.#localParity ? id < this.#nextLocalId : id <= this.#highestPeerId;
    if (!openedEarlier) {
      this.#fail(
        protocolViolation(`received ${frameTypeName(type)} for channel ${id}, which was never opened`),
      );
    }
  }

  #handleOpen(id: number, payload: Uint8Array): void {
    if (id % 2 === this.#localParity) {
      const peer = this.#options.role === 'initiator' ? 'acceptor' : 'initiator';
      const parity = this.#localParity === 1 ? 'even' : 'odd';
      this.#fail(
        protocolViolation(`received OPEN for channel ${id}, but the ${peer} may only open ${parity} ids`),
      );
      return;
    }
    if (id <= this.#highestPeerId) {
      this.#fail(
        protocolViolation(
          `received OPEN for channel ${id}, not greater than channel ${this.#highestPeerId} the peer opened before (ids increase and are never reused)`,
        ),
      );
      return;
    }
    this.#highestPeerId = id;
    if (this.#channels.size >= this.#options.maxChannels) {
      this.#host.frame(FrameType.Reset, 0, id, utf8Encode('channel limit reached'));
      return;
    }
    if (!this.#onDidOpenChannel.hasListeners) {
      this.#host.frame(FrameType.Reset, 0, id, utf8Encode('no listener for peer-opened channels'));
      return;
    }
    const channel = new MuxChannelImpl(this.#host, id, utf8Decode(payload), false);
    this.#channels.set(id, channel);
    channel.grantInitialWindow();
    this.#onDidOpenChannel.fire(channel);
  }

  #handlePing(flags: number, payload: Uint8Array): void {
    if ((flags & FrameFlag.Ack) === 0) {
      this.#host.frame(FrameType.Ping, FrameFlag.Ack, 0, payload);
      return;
    }
    const id = readU32(payload, 0) * 0x1_0000_0000 + readU32(payload, 4);
    const ping = this.#pings.get(id);
    if (ping === undefined) return; // not ours, or already settled: replies carry no obligation
    this.#pings.delete(id);
    ping.pending.resolve(performance.now() - ping.start);
  }

  #handleGoAway(payload: Uint8Array): void {
    const code = readU32(payload, 0);
    const reason = utf8Decode(payload.subarray(4));
    const what = `${goAwayCodeNames[code] ?? `code ${code}`}${reason === '' ? '' : `: ${reason}`}`;
    const error =
      code === GoAwayCode.Normal
        ? undefined
        : new ConnectionClosedError(`The peer closed the mux session (GOAWAY, ${what}).`);
    this.#shutdown({
      error,
      channelError:
        error ??
        new ConnectionClosedError(
          `The connection to the peer closed: the peer closed the mux session (${what}) before the channel was finished.`,
        ),
      transport: 'close',
    });
  }

  #handleTransportClose(event: TransportCloseEvent): void {
    if (this.#closed) return;
    const error = new ConnectionClosedError(
      event.error === undefined
        ? 'The connection to the peer closed without a GOAWAY (the peer exited or dropped the connection); open a new session to continue.'
        : `The connection to the peer closed with an error: ${event.error.message}`,
      event.error === undefined ? undefined : { cause: event.error },
    );
    this.#shutdown({ error, channelError: error, transport: 'none' });
  }

  #holdPartial(bytes: number): boolean {
    if (this.#closed) return false;
    const held = this.#partialBytes + bytes;
    const budget = this.#options.maxReassemblyBytes;
    if (held > budget) {
      let channels = 0;
      for (const channel of this.#channels.values()) if (channel.receivingMessage) channels++;
      this.#fail(
        new FramingError(
          `The peer started more unfinished messages than this session buffers: ${held} bytes of half-received messages across ${Math.max(channels, 1)} channels, over the session's maxReassemblyBytes budget of ${budget} bytes. The session was closed; a peer must finish its messages (or raise maxReassemblyBytes on this side if that is legitimate).`,
        ),
      );
      return false;
    }
    this.#partialBytes = held;
    return true;
  }

  // ── Outgoing frames and shutdown ─────────────────────────────────────────────────────────────────────

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(this.#flushTask);
  }

  readonly #flushTask = (): void => {
    this.#flushScheduled = false;
    this.#flush();
  };

  #flush(): void {
    if (this.#encoder.pendingBytes === 0) return;
    const chunks = this.#encoder.take();
    if (!this.#transport.closed) this.#transport.write(chunks);
  }

  /** The peer broke the mux protocol: as `abort`, with the FramingError that says how. */
  #fail(error: FramingError): void {
    this.abort(error);
  }

  #shutdown(how: Shutdown): void {
    this.#closed = true;
    this.#decoder.stop();
    if (how.goAway !== undefined && !this.#transport.closed) {
      const reason = utf8EncodeTruncated(how.goAway.reason, MAX_REASON_BYTES);
      const payload = new Uint8Array(4 + reason.byteLength);
      new DataView(payload.buffer).setUint32(0, how.goAway.code);
      payload.set(reason, 4);
      this.#encoder.frame(FrameType.GoAway, 0, 0, payload);
      this.#flush();
    } else {
      this.#encoder.clear();
    }
    this.#subscriptions.dispose();
    if (how.transport === 'close') this.#transport.close();
    else if (how.transport === 'dispose') this.#transport.dispose();

    const channels = [...this.#channels.values()];
    this.#channels.clear();
    for (const channel of channels) channel.terminate(how.channelError);
    const pings = [...this.#pings.values()];
    this.#pings.clear();
    if (pings.length > 0) {
      const pingError = new ConnectionClosedError(
        'The connection to the peer closed before the ping was answered.',
        {
          cause: how.error ?? how.channelError,
        },
      );
      for (const ping of pings) ping.pending.reject(pingError);
    }

    this.#onDidOpenChannel.dispose();
    this.#onDidClose.fire(how.error === undefined ? {} : { error: how.error });
    this.#onDidClose.dispose();
  }
}
