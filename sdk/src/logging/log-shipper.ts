// The plugin's side of `tether.logs` (protocol.md 5.4): batches records, never waits for the host, drops and counts.
import type { Disposable } from '../common/disposable.js';
import {
  DEFAULT_LOG_MAX_BUFFERED_BYTES,
  DEFAULT_LOG_MAX_BUFFERED_RECORDS,
  LOG_BATCH_MAX_BYTES,
} from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { Fifo } from '../mux/fifo.js';
import { assembleLogBatch, encodeLogRecord } from './log-batch.js';
import type { LogRecord } from './log-record.js';

export interface LogShipperOptions {
  /** Most records held while the host is not reading (default {@link DEFAULT_LOG_MAX_BUFFERED_RECORDS}). */
  readonly maxBufferedRecords?: number;
  /** Most encoded bytes held while the host is not reading (default {@link DEFAULT_LOG_MAX_BUFFERED_BYTES}). */
  readonly maxBufferedBytes?: number;
}

export interface LogShipperStats {
  /** Records held by the shipper, not yet handed to the channel. */
  readonly bufferedRecords: number;
  /** Their encoded size. */
  readonly bufferedBytes: number;
  /** Records handed to the channel so far. */
  readonly sentRecords: number;
  /** Records dropped so far (reported to the host in the messages' `suppressed`). */
  readonly droppedRecords: number;
  /** Dropped records not yet reported to the host. */
  readonly unreportedDrops: number;
}

/**
 * Ships records on a `tether.logs` channel. `write` never blocks and never throws: records are encoded at
 * once (so later changes to their fields do not show), buffered, and sent in one message per tick. While the
 * host does not read (the channel's `send` returned false) records wait in a buffer bounded
 * by count and bytes; when it is full, new records are dropped and counted, and the count travels in the next
 * message. The memory logging can take is thus bounded whatever the plugin does: the shipper's buffer, plus
 * what the channel queues for the host's credit (at most its window and one batch, since the shipper stops
 * sending when `send` returns false until `onDidDrain`).
 */
export class LogShipper implements Disposable {
  readonly #channel: MuxChannel;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #queue = new Fifo<Uint8Array>();
  readonly #drainListener: Disposable;
  #bufferedBytes = 0;
  #sent = 0;
  #dropped = 0;
  #unreported = 0;
  #scheduled: ReturnType<typeof setImmediate> | undefined;
  #disposed = false;
  /** The channel's `send` returned false: its queue is a window's worth; wait for `onDidDrain`. */
  #waitingForDrain = false;

  constructor(channel: MuxChannel, options: LogShipperOptions = {}) {
    this.#channel = channel;
    this.#maxRecords = positive(
      options.maxBufferedRecords,
      DEFAULT_LOG_MAX_BUFFERED_RECORDS,
      'maxBufferedRecords',
    );
    this.#maxBytes = positive(options.maxBufferedBytes, DEFAULT_LOG_MAX_BUFFERED_BYTES, 'maxBufferedBytes');
    this.#drainListener = channel.onDidDrain(() => {
      this.#waitingForDrain = false;
      this.#schedule();
    });
  }

  get stats(): LogShipperStats {
    return {
      bufferedRecords: this.#queue.length,
      bufferedBytes: this.#bufferedBytes,
      sentRecords: this.#sent,
      droppedRecords: this.#dropped,
      unreportedDrops: this.#unreported,
    };
  }

  /** Queues `record` for the host, or drops and counts it when the buffer is full. Never throws. */
  write(record: LogRecord): void {
    if (this.#disposed || !this.#channel.writable || this.#queue.length >= this.#maxRecords) {
      this.#drop();
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeLogRecord(record);
    } catch {
      this.#drop();
      return;
    }
    if (this.#bufferedBytes + bytes.byteLength > this.#maxBytes) {
      this.#drop();
      return;
    }
    this.#queue.push(bytes);
    this.#bufferedBytes += bytes.byteLength;
    this.#schedule();
  }

  /**
   * Hands everything buffered to the channel now, whatever its credit (the mux queues what the host has not
   * granted yet). For the last moments of a process: a stop or a crash.
   */
  flushNow(): void {
    this.#send(true);
  }

  /** Flushes what it can, then stops (later records are dropped). The channel is left to its owner. */
  dispose(): void {
    if (this.#disposed) return;
    this.flushNow();
    this.#disposed = true;
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#drainListener.dispose();
    this.#queue.clear();
    this.#bufferedBytes = 0;
  }

  #drop(): void {
    this.#dropped++;
    this.#unreported++;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled !== undefined || this.#disposed || this.#waitingForDrain) return;
    this.#scheduled = setImmediate(() => {
      this.#scheduled = undefined;
      this.#send(false);
    });
  }

  /** Sends batches until the buffer is empty or (unless `force`) the channel holds enough. */
  #send(force: boolean): void {
    if (this.#disposed) return;
    while (this.#queue.length > 0 || this.#unreported > 0) {
      if (!this.#channel.writable) {
        // The host is gone: what is buffered can never be delivered.
        this.#dropped += this.#queue.length;
        this.#queue.clear();
        this.#bufferedBytes = 0;
        return;
      }
      if (!force && this.#waitingForDrain) return; // onDidDrain reschedules
      const batch: Uint8Array[] = [];
      let size = 0;
      while (this.#queue.length > 0) {
        const next = this.#queue.peek()!;
        if (batch.length > 0 && size + next.byteLength > LOG_BATCH_MAX_BYTES) break;
        batch.push(this.#queue.shift()!);
        size += next.byteLength;
      }
      this.#bufferedBytes -= size;
      const suppressed = this.#unreported;
      this.#unreported = 0;
      try {
        if (!this.#channel.send(assembleLogBatch(batch, suppressed))) this.#waitingForDrain = true;
        this.#sent += batch.length;
      } catch {
        this.#dropped += batch.length;
      }
    }
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `LogShipper: ${name} must be a positive integer, got ${String(value)}.`,
    );
  }
  return value;
}
