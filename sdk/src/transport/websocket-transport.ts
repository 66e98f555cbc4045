import { Emitter, type Event } from '../common/event.js';
import { setDeadlineTimer, type TimerHandle } from '../common/timers.js';
import { WEBSOCKET_CLOSE_GRACE_MS, WEBSOCKET_HIGH_WATER_MARK } from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import type { Transport, TransportCloseEvent } from './transport.js';
import {
  WebSocketState,
  errorEventDetail,
  type WebSocketCloseEventLike,
  type WebSocketLike,
} from './websocket-like.js';
import { openWebSocket, type WebSocketOpenOptions } from './websocket-open.js';

const { OPEN, CLOSING } = WebSocketState;

export interface WebSocketTransportOptions {
  /** How long `close()` waits for the peer's closing handshake (ms); default {@link WEBSOCKET_CLOSE_GRACE_MS}. */
  readonly closeGraceMs?: number;
}

/** Options of {@link WebSocketTransport.connect}: how to open the socket, and the transport's own. */
export interface WebSocketConnectOptions extends WebSocketOpenOptions, WebSocketTransportOptions {}

/**
 * A {@link Transport} over a WebSocket: one binary message per `write(chunks)` (the chunks joined), and each
 * binary message received is one chunk. It takes an open socket (see {@link WebSocketTransport.connect}) and
 * owns it from then on.
 *
 * - Messages that arrive before the first `onDidReceive` listener are held and delivered to it (a
 *   WebSocket cannot pause), in a microtask after it subscribes.
 * - A text message, or binary data that is not an ArrayBuffer, is a protocol error: the socket is closed
 *   with 1003 and `onDidClose` fires with `PROTOCOL_ERROR`.
 * - Backpressure: `write` returns false while the socket holds more than {@link WEBSOCKET_HIGH_WATER_MARK}
 *   bytes (`bufferedAmount`), read at each write, no polling. As for every transport that is informational:
 *   the mux's credit windows bound the bytes in flight, so `bufferedAmount` cannot grow without bound.
 * - `onDidClose` fires once: without an error when either side closed cleanly (1000, 1001 going away, or a
 *   close frame without a code); with `TRANSPORT_ERROR` naming the code otherwise (1006: the connection was
 *   lost without a closing handshake — the peer went away).
 * - `close()` sends a close frame (1000) after what is queued; `onDidClose` follows the peer's answer, or
 *   after `closeGraceMs` without one. `dispose()` closes at once (ws's `terminate()` where there is one).
 * - Once closed, the transport's listeners leave the socket, except one for `'error'` that ignores it (ws
 *   throws an `'error'` nobody listens to).
 */
export class WebSocketTransport implements Transport {
  readonly kind: string = 'websocket';
  readonly #socket: WebSocketLike;
  readonly #closeGraceMs: number;
  #closed = false;
  #fired = false;
  /** Messages received before the first listener subscribed; undefined once delivering directly. */
  #early: Uint8Array[] | undefined = [];
  #graceTimer: TimerHandle | undefined;
  #lastError: unknown;
  readonly #onDidReceive = new Emitter<Uint8Array>();
  readonly #onDidClose = new Emitter<TransportCloseEvent>();
  readonly onDidClose: Event<TransportCloseEvent> = this.#onDidClose.event;

  readonly onDidReceive: Event<Uint8Array> = (listener) => {
    const subscription = this.#onDidReceive.event(listener);
    if (this.#early !== undefined) queueMicrotask(this.#deliverEarly);
    return subscription;
  };

  /** @throws TetherError INVALID_ARGUMENT when the socket is not open. */
  constructor(socket: WebSocketLike, options: WebSocketTransportOptions = {}) {
    if (socket.readyState !== OPEN) {
      const state =
        ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'][socket.readyState] ?? String(socket.readyState);
      throw new TetherError(
        'INVALID_ARGUMENT',
        `WebSocketTransport needs an open WebSocket, and this one is ${state}: wait for its 'open' event, or use WebSocketTransport.connect(url).`,
      );
    }
    this.#socket = socket;
    this.#closeGraceMs = options.closeGraceMs ?? WEBSOCKET_CLOSE_GRACE_MS;
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', this.#handleMessage);
    socket.addEventListener('close', this.#handleClose);
    socket.addEventListener('error', this.#handleError);
  }

  /**
   * Opens a WebSocket to `url` and resolves with its transport once it is open.
   * @throws TetherError INVALID_OPTIONS when there is no WebSocket class or the URL is not valid; TIMEOUT
   *   when it does not open within `timeoutMs`; AUTH_FAILED when the server refuses the upgrade with 401 or
   *   403 (its token or the origin was not accepted); TRANSPORT_ERROR when it fails otherwise; ABORTED when
   *   `signal` aborts first.
   */
  static connect(url: string | URL, options: WebSocketConnectOptions = {}): Promise<WebSocketTransport> {
    return openWebSocket(url, options, (socket) => new WebSocketTransport(socket, options));
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(chunks: readonly Uint8Array[]): boolean {
    if (this.#closed) return false;
    const socket = this.#socket;
    if (socket.readyState !== OPEN) return false;
    let message: Uint8Array<ArrayBuffer>;
    // The mux's chunks are never in a SharedArrayBuffer.
    if (chunks.length === 1) message = chunks[0] as Uint8Array<ArrayBuffer>;
    else {
      let size = 0;
      for (const chunk of chunks) size += chunk.byteLength;
      if (size === 0) return socket.bufferedAmount <= WEBSOCKET_HIGH_WATER_MARK;
      message = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        message.set(chunk, offset);
        offset += chunk.byteLength;
      }
    }
    try {
      socket.send(message);
    } catch (error) {
      this.#fail(
        new TetherError('TRANSPORT_ERROR', `Sending on the WebSocket failed: ${describe(error)}`, {
          cause: error,
        }),
      );
      return false;
    }
    return socket.bufferedAmount <= WEBSOCKET_HIGH_WATER_MARK;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.close(1000);
    this.#graceTimer = setDeadlineTimer(() => this.#shutdown({}), this.#closeGraceMs);
  }

  dispose(): void {
    if (this.#fired) return;
    this.#closed = true;
    const socket = this.#socket as WebSocketLike & { terminate?: () => void };
    if (socket.terminate !== undefined) socket.terminate();
    else if (socket.readyState < CLOSING) socket.close(1000);
    this.#shutdown({});
  }

  readonly #deliverEarly = (): void => {
    const early = this.#early;
    this.#early = undefined;
    for (const message of early ?? []) {
      if (this.#fired) return;
      this.#onDidReceive.fire(message);
    }
  };

  readonly #handleMessage = (event: { readonly data: unknown }): void => {
    if (this.#fired) return;
    const data = event.data;
    let bytes: Uint8Array;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else {
      this.#protocolError(
        typeof data === 'string'
          ? 'Received a text WebSocket message: this WebSocket carries only binary messages (Tether frames); is other code sending on it?'
          : `Received a WebSocket message that is not an ArrayBuffer (${describeType(data)}): leave the socket's binaryType as 'arraybuffer'.`,
      );
      return;
    }
    if (this.#early !== undefined) this.#early.push(bytes);
    else this.#onDidReceive.fire(bytes);
  };

  readonly #handleError = (event: unknown): void => {
    if (this.#fired) return;
    this.#lastError = event;
    // A failed WebSocket fires 'close' next; make sure it does.
    if (this.#socket.readyState < CLOSING) this.#socket.close();
  };

  readonly #handleClose = (event: WebSocketCloseEventLike): void => {
    this.#shutdown(closeEventOf(event, this.#closed, this.#lastError));
  };

  #protocolError(message: string): void {
    if (this.#socket.readyState < CLOSING) this.#socket.close(1003, 'binary messages only');
    this.#fail(new TetherError('PROTOCOL_ERROR', message));
  }

  #fail(error: Error): void {
    this.#closed = true;
    this.#shutdown({ error });
  }

  #shutdown(event: TransportCloseEvent): void {
    if (this.#fired) return;
    this.#fired = true;
    this.#closed = true;
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    const socket = this.#socket;
    // The 'error' listener stays: a ws socket's late 'error' would be thrown if nobody listened.
    socket.removeEventListener('message', this.#handleMessage);
    socket.removeEventListener('close', this.#handleClose);
    this.#early = undefined;
    this.#onDidClose.fire(event);
    this.#onDidClose.dispose();
    this.#onDidReceive.dispose();
  }
}

/** Close codes that end a connection cleanly: normal, going away, and a close frame without a code. */
const CLEAN_CODES = new Set([1000, 1001, 1005]);

const CLOSE_CODE_MEANINGS: Readonly<Record<number, string>> = {
  1002: 'the peer saw a WebSocket protocol error',
  1003: 'the peer does not accept the data it received (Tether sends only binary messages)',
  1006: 'the connection was lost without a closing handshake: the peer went away or the network failed; reconnect once it is back',
  1007: 'the peer received malformed data',
  1008: 'the peer refused the connection by its policy',
  1009: "a message was larger than the peer accepts (raise its limit, ws's maxPayload)",
  1011: 'the peer failed with an internal error',
  1012: 'the peer is restarting; reconnect in a moment',
  1013: 'the peer is overloaded; try again later',
};

function closeEventOf(
  event: WebSocketCloseEventLike,
  closedHere: boolean,
  lastError: unknown,
): TransportCloseEvent {
  if (event.wasClean && (CLEAN_CODES.has(event.code) || closedHere)) return {};
  const meaning = CLOSE_CODE_MEANINGS[event.code];
  const detail = errorEventDetail(lastError);
  return {
    error: new TetherError(
      'TRANSPORT_ERROR',
      `The WebSocket closed with code ${event.code}${event.reason === '' ? '' : ` (${event.reason})`}${
        meaning === undefined ? '' : `: ${meaning}`
      }${detail === undefined ? '' : ` (${detail})`}.`,
      lastError === undefined ? undefined : { cause: lastError },
    ),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeType(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value;
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
}
