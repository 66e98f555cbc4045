// The plugin's log records in an in-process test: kept in an array, as the host would receive them.
import type { Disposable } from '../common/disposable.js';
import { Emitter, type Event } from '../common/event.js';
import { assembleLogBatch, decodeLogBatch, encodeLogRecord } from '../logging/log-batch.js';
import type { LogRecord } from '../logging/log-record.js';
import type { LogSink } from '../logging/logger.js';

/**
 * A log sink that keeps every record it is given. Each record goes through the `tether.logs` encoding and
 * back first, so a test sees what a host would receive: fields the codec cannot carry (a function, a
 * socket) replaced by a description, long messages capped, errors as plain data.
 */
export class LogCapture implements Disposable {
  readonly #records: LogRecord[] = [];
  readonly #onDidLog = new Emitter<LogRecord>();
  /** Fires with each record as it is captured. */
  readonly onDidLog: Event<LogRecord> = this.#onDidLog.event;

  /** Where the plugin's loggers write while the test runs. */
  readonly sink: LogSink = (record) => {
    const received = asReceived(record);
    this.#records.push(received);
    this.#onDidLog.fire(received);
  };

  /** The records captured so far, oldest first (the same array, growing). */
  get records(): readonly LogRecord[] {
    return this.#records;
  }

  clear(): void {
    this.#records.length = 0;
  }

  dispose(): void {
    this.#onDidLog.dispose();
  }
}

/** `record` as the host decodes it from the plugin's `tether.logs` channel. */
function asReceived(record: LogRecord): LogRecord {
  const [received] = decodeLogBatch(assembleLogBatch([encodeLogRecord(record)], 0)).records;
  return received ?? record;
}
