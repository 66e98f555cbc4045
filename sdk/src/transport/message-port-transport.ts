import { Emitter, type Event } from '../common/event.js';
import { setMacrotask } from '../common/timers.js';
import { TetherError } from '../errors/tether-error.js';
import type { Transport, TransportCloseEvent } from './transport.js';

/**
 * The least a message port must offer. Satisfied by Node's `worker_threads.MessagePort`, Electron's
 * `MessagePortMain` (main process), Electron's `process.parentPort` (utility process) and the main-process
 * end of a `UtilityProcess`: all are Node EventEmitters.
 *
 * Listeners receive messages in one of two shapes, both handled (detected per message, which is unambiguous
 * because this transport only ever sends a `Uint8Array`):
 * - the data itself: Node's `MessagePort`, Electron's `UtilityProcess` ('message' gives the message);
 * - an event `{ data, ports }`: Electron's `MessagePortMain` and `process.parentPort`.
 *
 * A `'close'` event, where the port has one (Node's `MessagePort`, `MessagePortMain`), closes the transport.
 * `start()` is called where present (`MessagePortMain` queues messages until then).
 */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  removeListener(event: 'message', listener: (message: unknown) => void): unknown;
  start?(): void;
  close?(): void;
}

export interface MessagePortTransportOptions {
  /**
   * Post each message with its ArrayBuffer in the transfer list, saving the structured clone's copy.
   * Default: true for a Node `worker_threads.MessagePort`, false otherwise (Electron's `MessagePortMain`
   * transfers only ports, and `process.parentPort.postMessage` takes no transfer list).
   */
  readonly transfer?: boolean;
}

/** The 'close' and 'messageerror' events, which ports that have them emit; typed loosely on purpose. */
interface EventEmitterLike {
  on(event: string, listener: (value: unknown) => void): unknown;
  removeListener(event: string, listener: (value: unknown) => void): unknown;
}

type TransferringPort = MessagePortLike & {
  postMessage(message: unknown, transfer: readonly ArrayBuffer[]): void;
};

/**
 * A {@link Transport} over a message port. Each `write(chunks)` posts ONE message: a single `Uint8Array`
 * that owns its whole ArrayBuffer (a view into a larger buffer would clone the whole buffer), transferred
 * where supported (see {@link MessagePortTransportOptions.transfer}). Message boundaries are kept, though
 * the mux above does not rely on it.
 *
 * Messages are received once the first `onDidReceive` listener subscribes (until then they wait in the
 * port), so none are lost between construction and subscription.
 *
 * `close()` posts nothing extra (the mux sends GOAWAY before closing) and calls `port.close()` where present;
 * messages already posted are still delivered. `onDidClose` fires once: on `close()`/`dispose()`, on the
 * port's `'close'` event (the other end closed, or its thread or process went away) without an error; on a
 * `'messageerror'` or a message that is not bytes with `TetherError('TRANSPORT_ERROR')`.
 */
export class MessagePortTransport implements Transport {
  readonly kind: string = 'message-port';
  readonly #port: MessagePortLike;
  readonly #transfer: boolean;
  #closed = false;
  #fired = false;
  #receiving = false;
  readonly #onDidReceive = new Emitter<Uint8Array>();
  readonly #onDidClose = new Emitter<TransportCloseEvent>();
  readonly onDidClose: Event<TransportCloseEvent> = this.#onDidClose.event;

  readonly onDidReceive: Event<Uint8Array> = (listener) => {
    const subscription = this.#onDidReceive.event(listener);
    this.#startReceiving();
    return subscription;
  };

  constructor(port: MessagePortLike, options: MessagePortTransportOptions = {}) {
    this.#port = port;
    this.#transfer = options.transfer ?? isNodeMessagePort(port);
    const events = port as unknown as EventEmitterLike;
    events.on('close', this.#handleClose);
    events.on('messageerror', this.#handleMessageError);
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(chunks: readonly Uint8Array[]): boolean {
    if (this.#closed) return false;
    let size = 0;
    for (const chunk of chunks) size += chunk.byteLength;
    if (size === 0) return true;
    const only = chunks.length === 1 ? chunks[0]! : undefined;
    try {
      if (!this.#transfer && only !== undefined && ownsWholeBuffer(only)) {
        this.#port.postMessage(only); // the structured clone copies it
        return true;
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      if (this.#transfer) (this.#port as TransferringPort).postMessage(bytes, [bytes.buffer]);
      else this.#port.postMessage(bytes);
      return true;
    } catch (error) {
      this.#shutdown({
        error: new TetherError(
          'TRANSPORT_ERROR',
          `Posting to the message port failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      });
      return false;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.close?.();
    // Fire a macrotask later, like a socket that flushes before it ends (the port's own 'close' may come first).
    setMacrotask(() => this.#shutdown({}));
  }

  dispose(): void {
    this.#shutdown({});
  }

  #startReceiving(): void {
    if (this.#receiving || this.#fired) return;
    this.#receiving = true;
    this.#port.on('message', this.#handleMessage);
    this.#port.start?.();
  }

  readonly #handleMessage = (message: unknown): void => {
    if (this.#fired) return;
    const bytes = toBytes(message) ?? toBytes((message as { data?: unknown } | null)?.data);
    if (bytes === undefined) {
      this.#shutdown({
        error: new TetherError(
          'TRANSPORT_ERROR',
          'Received a message port message that is not bytes: the port must carry only this transport (is other code posting to it?).',
        ),
      });
      return;
    }
    this.#onDidReceive.fire(bytes);
  };

  readonly #handleClose = (): void => {
    this.#shutdown({});
  };

  readonly #handleMessageError = (error: unknown): void => {
    this.#shutdown({
      error: new TetherError(
        'TRANSPORT_ERROR',
        `A message from the port could not be deserialized: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      ),
    });
  };

  #shutdown(event: TransportCloseEvent): void {
    if (this.#fired) return;
    this.#fired = true;
    const wasClosed = this.#closed;
    this.#closed = true;
    const port = this.#port;
    const events = port as unknown as EventEmitterLike;
    port.removeListener('message', this.#handleMessage);
    events.removeListener('close', this.#handleClose);
    events.removeListener('messageerror', this.#handleMessageError);
    if (!wasClosed) port.close?.();
    this.#onDidClose.fire(event);
    this.#onDidClose.dispose();
    this.#onDidReceive.dispose();
  }
}

function ownsWholeBuffer(chunk: Uint8Array): boolean {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
}

function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/**
 * True for Node's `worker_threads.MessagePort`, read from the global of the same name (Node ≥ 15) so that
 * loading this module does not load `node:worker_threads`: every plugin's start pays for what serve()
 * imports, and only Electron's utility process uses a message port (measured: 3.3 ms of a plugin's start).
 */
function isNodeMessagePort(port: unknown): boolean {
  const NodeMessagePort = (globalThis as { MessagePort?: abstract new () => unknown }).MessagePort;
  return NodeMessagePort !== undefined && port instanceof NodeMessagePort;
}
