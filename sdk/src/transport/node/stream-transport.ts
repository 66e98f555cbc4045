import type { Duplex } from 'node:stream';
import { Emitter, type Event } from '../../common/event.js';
import { TetherError } from '../../errors/tether-error.js';
import { STREAM_CLOSE_GRACE_MS, VECTORED_WRITE_MIN_AVERAGE_CHUNK } from '../../constants.js';
import type { Transport, TransportCloseEvent } from '../transport.js';

export interface StreamTransportOptions {
  /** How long `close()` waits for the peer to end its side before destroying the socket (ms). */
  readonly closeGraceMs?: number;
}

type State = 'open' | 'closing' | 'closed';

/**
 * A {@link Transport} over any Node `Duplex` byte stream: a `net.Socket` on a Unix socket or Windows named
 * pipe, a TCP socket, or a child's stdio pair joined with `Duplex.from({ readable: child.stdout, writable:
 * child.stdin })`. The transport owns the stream.
 *
 * - Reading starts when the first `onDidReceive` listener subscribes, so no bytes are lost between
 *   construction and subscription. Each `'data'` chunk is delivered as a plain `Uint8Array` view.
 * - `write(chunks)` makes one write (one syscall when the socket is writable): see
 *   {@link VECTORED_WRITE_MIN_AVERAGE_CHUNK} for how chunks are joined.
 * - `onDidClose` fires exactly once: without `error` when the peer ended the stream (`'end'`) or this side
 *   closed or disposed it; with a `TetherError('TRANSPORT_ERROR')` (the Node error as `cause`) on
 *   `ECONNRESET`, `EPIPE`, any other stream error, or when the stream is destroyed by someone else.
 *   Note that on a Unix socket a peer process that crashes usually looks like an orderly end (the kernel
 *   closes its socket): the mux tells the two apart by the GOAWAY frame that precedes an orderly close.
 * - `close()` ends the stream after pending writes are flushed and waits up to `closeGraceMs` for the peer
 *   to end its side; `dispose()` destroys the stream at once. Writes after either return false.
 * - The transport's listeners are removed from the stream once it has emitted `'close'`.
 */
export class StreamTransport implements Transport {
  readonly kind: string = 'stream';
  readonly #socket: Duplex;
  readonly #closeGraceMs: number;
  #state: State = 'open';
  #fired = false;
  #reading = false;
  #detached = false;
  #graceTimer: NodeJS.Timeout | undefined;
  readonly #onDidReceive = new Emitter<Uint8Array>();
  readonly #onDidClose = new Emitter<TransportCloseEvent>();
  readonly onDidClose: Event<TransportCloseEvent> = this.#onDidClose.event;

  readonly onDidReceive: Event<Uint8Array> = (listener) => {
    const subscription = this.#onDidReceive.event(listener);
    this.#startReading();
    return subscription;
  };

  constructor(socket: Duplex, options: StreamTransportOptions = {}) {
    this.#socket = socket;
    this.#closeGraceMs = options.closeGraceMs ?? STREAM_CLOSE_GRACE_MS;
    socket.on('end', this.#handleEnd);
    socket.on('error', this.#handleError);
    socket.on('close', this.#handleClose);
    if (socket.destroyed || socket.writableEnded) {
      this.#state = 'closed';
      queueMicrotask(() =>
        this.#fire({
          error: new TetherError(
            'TRANSPORT_ERROR',
            'The stream given to StreamTransport was already closed; pass a connected socket or stream.',
          ),
        }),
      );
      this.#detach();
    }
  }

  /** The underlying stream (diagnostics, `remoteAddress`, …). Do not read from or write to it directly. */
  get stream(): Duplex {
    return this.#socket;
  }

  get closed(): boolean {
    return this.#state !== 'open';
  }

  write(chunks: readonly Uint8Array[]): boolean {
    if (this.#state !== 'open') return false;
    const socket = this.#socket;
    if (socket.destroyed || socket.writableEnded) return false;
    const count = chunks.length;
    if (count === 1) return socket.write(chunks[0]);
    if (count === 0) return !socket.writableNeedDrain;
    let size = 0;
    for (const chunk of chunks) size += chunk.byteLength;
    if (size < VECTORED_WRITE_MIN_AVERAGE_CHUNK * count) return socket.write(Buffer.concat(chunks, size));
    socket.cork();
    let ok = true;
    for (const chunk of chunks) ok = socket.write(chunk);
    socket.uncork();
    return ok;
  }

  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#socket.end();
    this.#graceTimer = setTimeout(() => this.#socket.destroy(), this.#closeGraceMs);
    this.#graceTimer.unref();
  }

  dispose(): void {
    if (this.#fired && this.#detached) return;
    this.#state = 'closed';
    this.#clearGraceTimer();
    this.#socket.destroy();
    this.#fire({});
    if (this.#socket.closed) this.#detach();
  }

  #startReading(): void {
    if (this.#reading || this.#detached) return;
    this.#reading = true;
    this.#socket.on('data', this.#handleData);
  }

  readonly #handleData = (data: Buffer | string): void => {
    if (this.#fired) return;
    if (typeof data === 'string') {
      this.#fail(new Error('the stream delivered text; do not call setEncoding() on a transport stream'));
      return;
    }
    this.#onDidReceive.fire(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  };

  readonly #handleEnd = (): void => {
    // The peer ended its side. End ours too (flushing what is queued) if the stream allows half-open.
    if (this.#state === 'open') this.#state = 'closed';
    if (!this.#socket.writableEnded) this.#socket.end();
    this.#fire({});
  };

  readonly #handleError = (error: Error): void => {
    if (this.#state === 'open' || this.#state === 'closing') this.#state = 'closed';
    this.#fire({ error: wrapStreamError(error) });
  };

  readonly #handleClose = (): void => {
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    this.#clearGraceTimer();
    this.#fire(
      wasOpen
        ? {
            error: new TetherError(
              'TRANSPORT_ERROR',
              'The connection to the peer was destroyed before the peer ended it (the stream closed without an end or error).',
            ),
          }
        : {},
    );
    this.#detach();
  };

  #fail(error: Error): void {
    this.#state = 'closed';
    this.#fire({ error: wrapStreamError(error) });
    this.#socket.destroy();
  }

  #fire(event: TransportCloseEvent): void {
    if (this.#fired) return;
    this.#fired = true;
    this.#onDidClose.fire(event);
    this.#onDidClose.dispose();
    this.#onDidReceive.dispose();
  }

  #detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#clearGraceTimer();
    const socket = this.#socket;
    socket.off('data', this.#handleData);
    socket.off('end', this.#handleEnd);
    socket.off('error', this.#handleError);
    socket.off('close', this.#handleClose);
  }

  #clearGraceTimer(): void {
    if (this.#graceTimer === undefined) return;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
  }
}

/** Wraps a stream error as TRANSPORT_ERROR with a message that says what happened and what to do next. */
function wrapStreamError(error: Error): TetherError {
  const code = (error as NodeJS.ErrnoException).code;
  let message: string;
  switch (code) {
    case 'ECONNRESET':
      message =
        'The connection to the peer was reset (ECONNRESET): the peer process exited or crashed without closing it. Check its log, then start it again.';
      break;
    case 'EPIPE':
      message =
        'Writing to the peer failed (EPIPE): the peer already closed the connection, probably because its process exited. Check its log, then start it again.';
      break;
    default:
      message = `The connection to the peer failed${code === undefined ? '' : ` (${code})`}: ${error.message}`;
  }
  return new TetherError('TRANSPORT_ERROR', message, { cause: error });
}
