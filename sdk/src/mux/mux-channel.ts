import { allocBytes } from '../common/alloc-bytes.js';
import { PROTOCOL_INITIAL_WINDOW } from '../constants.js';
import { Fifo } from './fifo.js';
import { ReceiveWindow } from './receive-window.js';
import { Emitter, type Event } from '../common/event.js';
import { ChannelClosedError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import {
  EMPTY_PAYLOAD,
  FrameFlag,
  FrameType,
  MAX_CREDIT,
  MAX_REASON_BYTES,
  type FrameType as FrameTypeValue,
} from './frame.js';
import type { ResolvedMuxOptions } from './mux-options.js';
import type { MuxChannel, MuxCloseEvent } from './mux-types.js';
import { utf8Decode, utf8EncodeTruncated } from './utf8.js';

/** What a channel needs from its session. */
export interface ChannelHost {
  readonly options: ResolvedMuxOptions;
  /**
   * Queues a frame for the session's next flush (dropped once the session is closed). A payload given as
   * parts is their concatenation.
   */
  frame(
    type: FrameTypeValue,
    flags: number,
    channel: number,
    payload?: Uint8Array | readonly Uint8Array[],
  ): void;
  /** Queues a WINDOW frame. */
  window(channel: number, increment: number): void;
  /** The peer broke the protocol: closes the whole session with a FramingError. */
  protocolError(problem: string): void;
  /**
   * `bytes` more of a half-received message are held (negative: released). Returns false, having closed
   * the session, when that puts the session over its `maxReassemblyBytes` budget.
   */
  holdPartial(bytes: number): boolean;
  /** The channel is closed; the session forgets it. */
  channelClosed(channel: MuxChannelImpl): void;
}

/** A message (or its parts) waiting to be sent; `offset` bytes of it have been sent already. */
interface Outbound {
  readonly data: Uint8Array | readonly Uint8Array[];
  readonly size: number;
  offset: number;
}

/** A received message waiting for delivery; `held` bytes of it have not been credited back to the peer yet. */
interface Inbound {
  readonly message: Uint8Array;
  readonly held: number;
}

/**
 * The channel implementation behind {@link MuxChannel}. The session routes each frame of the channel to the
 * `handle…` methods; everything user-facing is the MuxChannel interface.
 *
 * Receive credit is accounted by a {@link ReceiveWindow}; "held" bytes are those received but not consumed
 * (paused, or nobody listening), whose credit is returned only when they are delivered.
 */
export class MuxChannelImpl implements MuxChannel {
  readonly id: number;
  readonly label: string;
  readonly isLocal: boolean;

  readonly #host: ChannelHost;
  readonly #window: number;
  readonly #receiveWindow: ReceiveWindow;

  // Sending.
  #sendCredit = PROTOCOL_INITIAL_WINDOW;
  readonly #outbox = new Fifo<Outbound>();
  #bufferedAmount = 0;
  #needDrain = false;
  #ending = false;
  #endSent = false;

  // Receiving.
  #parts: Uint8Array[] = [];
  #partSize = 0;
  #partHeld = 0;
  readonly #inbox = new Fifo<Inbound>();
  #inboxHeld = 0;
  #paused = false;
  #deliveryScheduled = false;
  #remoteEnded = false;
  #endDelivered = false;

  #closed = false;
  #closeError: TetherError | undefined;

  readonly #onDidDrain = new Emitter<void>();
  readonly #onDidReceive = new Emitter<Uint8Array>();
  readonly #onDidEnd = new Emitter<void>();
  readonly #onDidClose = new Emitter<MuxCloseEvent>();
  readonly onDidDrain = this.#onDidDrain.event;
  /**
   * One whole message from the peer. While no listener is attached, messages are held as if paused (their
   * credit too) and delivered once one is, so a listener attached a little late loses nothing.
   */
  readonly onDidReceive: Event<Uint8Array> = (listener) => {
    const subscription = this.#onDidReceive.event(listener);
    if (!this.#paused && !this.#closed) this.#startFlowing();
    return subscription;
  };
  readonly onDidEnd = this.#onDidEnd.event;
  readonly onDidClose = this.#onDidClose.event;

  constructor(host: ChannelHost, id: number, label: string, isLocal: boolean) {
    this.#host = host;
    this.id = id;
    this.label = label;
    this.isLocal = isLocal;
    this.#window = host.options.channelWindow;
    this.#receiveWindow = new ReceiveWindow(this.#window);
  }

  get bufferedAmount(): number {
    return this.#bufferedAmount;
  }

  /** Bytes received but not yet delivered nor credited back to the peer (at most the channel window). */
  get receiveBufferedAmount(): number {
    return this.#inboxHeld + this.#partHeld;
  }

  get writable(): boolean {
    return !this.#ending && !this.#closed;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get isPaused(): boolean {
    return this.#paused;
  }

  /** True while part of a message has arrived and the rest has not (for the session's diagnostics). */
  get receivingMessage(): boolean {
    return this.#partSize > 0;
  }

  /**
   * Sends one message. The bytes are not copied when large: do not modify `message` afterwards (it may be
   * held until the peer grants credit and the transport has written it), as with `stream.write`.
   */
  send(message: Uint8Array | readonly Uint8Array[]): boolean {
    if (this.#ending || this.#closed) throw this.#notWritableError();
    const size = byteLengthOf(message);
    const limit = this.#host.options.maxMessageSize;
    if (size > limit) {
      throw new TetherError(
        'MESSAGE_TOO_LARGE',
        `Cannot send a message of ${size} bytes on channel ${this.#name}: the limit is maxMessageSize = ${limit} bytes. Send the data in smaller messages, or raise the maxMessageSize option on both sides.`,
      );
    }
    let offset = 0;
    if (this.#outbox.length === 0) {
      offset = this.#transmit(message, size, 0);
      if (offset === size) return true;
    }
    this.#outbox.push({ data: message, size, offset });
    this.#bufferedAmount += size - offset;
    if (this.#bufferedAmount >= this.#window) {
      this.#needDrain = true;
      return false;
    }
    return true;
  }

  pause(): void {
    if (this.#closed) return;
    this.#paused = true;
  }

  /** Delivers queued messages (from a microtask, not synchronously) and returns their credit. */
  resume(): void {
    if (!this.#paused || this.#closed) return;
    this.#paused = false;
    this.#startFlowing();
  }

  end(): void {
    if (this.#ending || this.#closed) return;
    this.#ending = true;
    if (this.#outbox.length === 0) this.#sendEnd();
  }

  reset(reason = ''): void {
    if (this.#closed) return;
    this.#host.frame(FrameType.Reset, 0, this.id, utf8EncodeTruncated(reason, MAX_REASON_BYTES));
    this.#finish(
      new ChannelClosedError(
        'CHANNEL_RESET',
        `Channel ${this.#name} was reset locally${reason === '' ? '' : `: ${reason}`}.`,
      ),
    );
  }

  // ── Called by the session ────────────────────────────────────────────────────────────────────────────

  /** Grants the peer the part of our window above the protocol's initial credit (after OPEN / on accept). */
  grantInitialWindow(): void {
    const extra = this.#receiveWindow.initialGrant();
    if (extra > 0) this.#host.window(this.id, extra);
  }

  handleData(flags: number, payload: Uint8Array): void {
    if (this.#remoteEnded) {
      this.#host.protocolError(`received DATA for channel ${this.id} after the peer ended it with END`);
      return;
    }
    const length = payload.byteLength;
    const credit = this.#receiveWindow.peerCredit;
    if (!this.#receiveWindow.receive(length)) {
      this.#host.protocolError(
        `received ${length} bytes of DATA for channel ${this.id}, over the ${credit} bytes of credit granted`,
      );
      return;
    }
    const size = this.#partSize + length;
    const limit = this.#host.options.maxMessageSize;
    if (size > limit) {
      this.#host.frame(
        FrameType.Reset,
        0,
        this.id,
        utf8EncodeTruncated(
          `message too large: over the receiver's maxMessageSize of ${limit} bytes`,
          MAX_REASON_BYTES,
        ),
      );
      this.#finish(
        new TetherError(
          'MESSAGE_TOO_LARGE',
          `Channel ${this.#name} received a message of more than ${limit} bytes (maxMessageSize) and was reset. Have the peer send smaller messages, or raise the maxMessageSize option on this side.`,
        ),
      );
      return;
    }
    if ((flags & FrameFlag.More) !== 0) {
      if (!this.#host.holdPartial(length)) return;
      if (this.#flowing) this.#release(length);
      else this.#partHeld += length;
      this.#parts.push(detach(payload));
      this.#partSize = size;
      return;
    }
    if (this.#flowing) this.#release(length);
    else this.#partHeld += length;
    const message = this.#parts.length === 0 ? payload : this.#reassemble(payload, size);
    const held = this.#partHeld;
    this.#partHeld = 0;
    if (this.#flowing && !this.#deliveryScheduled && this.#inbox.length === 0) {
      this.#onDidReceive.fire(message);
      return;
    }
    this.#inbox.push({ message: detach(message), held });
    this.#inboxHeld += held;
  }

  handleWindow(increment: number): void {
    const credit = this.#sendCredit + increment;
    if (credit > MAX_CREDIT) {
      this.#host.protocolError(
        `received WINDOW +${increment} for channel ${this.id}, raising its credit to ${credit}, over the maximum of ${MAX_CREDIT}`,
      );
      return;
    }
    this.#sendCredit = credit;
    this.#pump();
  }

  handleEnd(): void {
    if (this.#remoteEnded) {
      this.#host.protocolError(`received a second END for channel ${this.id}`);
      return;
    }
    if (this.#parts.length > 0) {
      this.#host.protocolError(
        `received END for channel ${this.id} in the middle of a message (after DATA with MORE)`,
      );
      return;
    }
    this.#remoteEnded = true;
    if (!this.#paused && !this.#deliveryScheduled && this.#inbox.length === 0) this.#deliverEnd();
  }

  handleReset(payload: Uint8Array): void {
    const reason = utf8Decode(payload);
    this.#finish(
      new ChannelClosedError(
        'CHANNEL_RESET',
        `The peer reset channel ${this.#name}${reason === '' ? '' : `: ${reason}`}.`,
      ),
    );
  }

  /** The session is gone: closes without sending anything. */
  terminate(error: TetherError): void {
    this.#finish(error);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────

  get #name(): string {
    return `${this.id} ('${this.label}')`;
  }

  /** Sends as much of `data` (`size` bytes) from `offset` as the credit allows; returns the new offset. */
  #transmit(data: Uint8Array | readonly Uint8Array[], size: number, offset: number): number {
    if (size === 0) {
      this.#host.frame(FrameType.Data, 0, this.id, EMPTY_PAYLOAD);
      return 0;
    }
    const maxFrameSize = this.#host.options.maxFrameSize;
    let credit = this.#sendCredit;
    while (offset < size && credit > 0) {
      const end = offset + Math.min(size - offset, credit, maxFrameSize);
      const chunk =
        data instanceof Uint8Array
          ? offset === 0 && end === size
            ? data
            : data.subarray(offset, end)
          : sliceParts(data, offset, end);
      this.#host.frame(FrameType.Data, end < size ? FrameFlag.More : 0, this.id, chunk);
      credit -= end - offset;
      offset = end;
    }
    this.#sendCredit = credit;
    return offset;
  }

  /** Sends queued messages while credit lasts, then END if it is due, then `onDidDrain` if it is due. */
  #pump(): void {
    const outbox = this.#outbox;
    for (let item = outbox.peek(); item !== undefined; item = outbox.peek()) {
      const reached = this.#transmit(item.data, item.size, item.offset);
      this.#bufferedAmount -= reached - item.offset;
      if (reached < item.size) {
        item.offset = reached;
        break;
      }
      outbox.shift();
    }
    if (outbox.length === 0 && this.#ending && !this.#endSent) this.#sendEnd();
    if (this.#needDrain && this.#bufferedAmount < this.#window && !this.#closed) {
      this.#needDrain = false;
      this.#onDidDrain.fire();
    }
  }

  #sendEnd(): void {
    this.#endSent = true;
    this.#host.frame(FrameType.End, 0, this.id);
    if (this.#endDelivered) this.#finish(undefined);
  }

  /** Counts `bytes` as consumed, sending WINDOW when a batch is due (none after the peer's END). */
  #release(bytes: number): void {
    if (bytes === 0 || this.#remoteEnded) return;
    const increment = this.#receiveWindow.release(bytes);
    if (increment > 0) this.#host.window(this.id, increment);
  }

  #reassemble(last: Uint8Array, size: number): Uint8Array {
    // Every byte is written below: a large message is not zero-filled first.
    const message = allocBytes(size);
    let offset = 0;
    for (const part of this.#parts) {
      message.set(part, offset);
      offset += part.byteLength;
    }
    message.set(last, offset);
    this.#host.holdPartial(-this.#partSize);
    this.#parts = [];
    this.#partSize = 0;
    return message;
  }

  /** True while messages are delivered as they arrive: not paused and someone listens. */
  get #flowing(): boolean {
    return !this.#paused && this.#onDidReceive.hasListeners;
  }

  /** Returns the credit held back for a partial message and schedules delivery of anything queued. */
  #startFlowing(): void {
    if (!this.#flowing) return;
    const held = this.#partHeld;
    this.#partHeld = 0;
    this.#release(held);
    if (this.#inbox.length > 0 || (this.#remoteEnded && !this.#endDelivered)) this.#scheduleDelivery();
  }

  #scheduleDelivery(): void {
    if (this.#deliveryScheduled) return;
    this.#deliveryScheduled = true;
    queueMicrotask(() => this.#deliverQueued());
  }

  #deliverQueued(): void {
    this.#deliveryScheduled = false;
    const inbox = this.#inbox;
    while (this.#flowing && !this.#closed && inbox.length > 0) {
      const item = inbox.shift()!;
      this.#inboxHeld -= item.held;
      this.#release(item.held);
      this.#onDidReceive.fire(item.message);
    }
    if (!this.#closed && inbox.length === 0 && !this.#paused && this.#remoteEnded && !this.#endDelivered) {
      this.#deliverEnd();
    }
  }

  #deliverEnd(): void {
    this.#endDelivered = true;
    this.#onDidEnd.fire();
    if (this.#endSent) this.#finish(undefined);
  }

  #notWritableError(): ChannelClosedError {
    if (!this.#closed) {
      return new ChannelClosedError(
        'CHANNEL_CLOSED',
        `Cannot send on channel ${this.#name}: this side already ended it with end(). Open a new channel to send more.`,
      );
    }
    const why = this.#closeError === undefined ? 'both sides ended it' : this.#closeError.message;
    return new ChannelClosedError(
      'CHANNEL_CLOSED',
      `Cannot send on channel ${this.#name}: it is closed (${why}).`,
      {
        cause: this.#closeError,
      },
    );
  }

  #finish(error: TetherError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = error;
    this.#outbox.clear();
    this.#bufferedAmount = 0;
    this.#needDrain = false;
    this.#inbox.clear();
    this.#inboxHeld = 0;
    if (this.#partSize > 0) this.#host.holdPartial(-this.#partSize);
    this.#parts = [];
    this.#partSize = 0;
    this.#partHeld = 0;
    this.#host.channelClosed(this);
    this.#onDidClose.fire(error === undefined ? {} : { error });
    this.#onDidDrain.dispose();
    this.#onDidReceive.dispose();
    this.#onDidEnd.dispose();
    this.#onDidClose.dispose();
  }
}

/**
 * A payload may be a view into a large transport chunk. Delivered at once, it is passed on as is (no copy);
 * kept for later, a view much smaller than its buffer is copied so that a few held bytes do not pin whole
 * chunks (which would let a paused channel hold far more memory than its window).
 */
function detach(view: Uint8Array): Uint8Array {
  return view.byteLength * 2 < view.buffer.byteLength ? view.slice() : view;
}

function byteLengthOf(message: Uint8Array | readonly Uint8Array[]): number {
  if (message instanceof Uint8Array) return message.byteLength;
  let size = 0;
  for (const part of message) size += part.byteLength;
  return size;
}

/** The bytes `[start, end)` of the concatenation of `parts`, as views of those parts (no copy). */
function sliceParts(parts: readonly Uint8Array[], start: number, end: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const part of parts) {
    const partEnd = at + part.byteLength;
    if (partEnd > start && at < end) {
      const from = Math.max(start, at) - at;
      const to = Math.min(end, partEnd) - at;
      pieces.push(from === 0 && to === part.byteLength ? part : part.subarray(from, to));
    }
    if (partEnd >= end) break;
    at = partEnd;
  }
  return pieces;
}
