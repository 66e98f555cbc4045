import path from 'node:path';
import electronLog from 'electron-log/node.js';
import { DEFAULT_LOG_FILE_MAX_BYTES, DEFAULT_LOG_FILE_QUEUE_CHARS } from '../constants.js';
import { formatLogLine, logFileName } from './format-log-line.js';
import { suppressedRecord, type HostLogRecord, type LogLevel } from './log-record.js';
import type { LogSink } from './log-sink.js';

type ElectronLogger = ReturnType<typeof electronLog.create>;

export interface ElectronLogSinkOptions {
  /** The app's log folder (in Electron: `app.getPath('logs')`); one `<extension>.log` per extension. */
  readonly dir: string;
  /** electron-log's `maxSize`: the file is archived to `<extension>.old.log` past it. */
  readonly maxFileBytes?: number;
  /** Characters handed to electron-log and not yet written; past that, records are dropped and counted. */
  readonly maxQueueChars?: number;
}

const electronLevel: Readonly<Record<LogLevel, 'silly' | 'debug' | 'info' | 'warn' | 'error'>> = {
  trace: 'silly',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
};

interface Target {
  readonly logger: ElectronLogger;
  dropped: number;
}

/** electron-log's File keeps its async queue in these (untyped) fields; read to bound what we hand it. */
interface AsyncFile {
  readonly asyncWriteQueue?: readonly string[];
}

/**
 * Writes records through electron-log (its Node build, so it runs without Electron): one logger per
 * extension (`logId`), its file at `<dir>/<extension>.log`, rotation by electron-log's `maxSize`, console
 * transport off, asynchronous writes. Lines are formatted like `FileLogSink`'s, so `tether logs` reads both.
 * Never blocks: when electron-log's write queue holds more than `maxQueueChars`, records are dropped and a
 * `suppressed N records` line follows once it has caught up.
 */
export class ElectronLogSink implements LogSink {
  readonly #dir: string;
  readonly #maxFileBytes: number;
  readonly #maxQueueChars: number;
  readonly #targets = new Map<string, Target>();
  #disposed = false;

  constructor(options: ElectronLogSinkOptions) {
    this.#dir = options.dir;
    this.#maxFileBytes = options.maxFileBytes ?? DEFAULT_LOG_FILE_MAX_BYTES;
    this.#maxQueueChars = options.maxQueueChars ?? DEFAULT_LOG_FILE_QUEUE_CHARS;
  }

  fileFor(extension: string): string {
    return path.join(this.#dir, logFileName(extension));
  }

  write(record: HostLogRecord): void {
    if (this.#disposed) return;
    const target = this.#target(record.extension);
    const queued = this.#queuedChars(target.logger);
    if (queued > this.#maxQueueChars) {
      target.dropped++;
      return;
    }
    if (target.dropped > 0 && queued === 0) {
      target.logger.warn(formatLogLine(suppressedRecord(target.dropped)));
      target.dropped = 0;
    }
    target.logger[electronLevel[record.level]](formatLogLine(record));
  }

  /** Resolves once electron-log has written what it was given. */
  async flush(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const busy = [...this.#targets.values()].some(
        (t) => this.#queuedChars(t.logger) > 0 || isWriting(t.logger),
      );
      if (!busy) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  dispose(): void {
    this.#disposed = true;
  }

  #target(extension: string): Target {
    let target = this.#targets.get(extension);
    if (target === undefined) {
      const logger = electronLog.create({ logId: `tether:${extension}` });
      const file = this.fileFor(extension);
      logger.transports.file.resolvePathFn = () => file;
      logger.transports.file.maxSize = this.#maxFileBytes;
      logger.transports.file.level = 'silly';
      logger.transports.file.sync = false;
      logger.transports.file.format = '{text}';
      logger.transports.console.level = false;
      target = { logger, dropped: 0 };
      this.#targets.set(extension, target);
    }
    return target;
  }

  #queuedChars(logger: ElectronLogger): number {
    const queue = (logger.transports.file.getFile() as AsyncFile).asyncWriteQueue ?? [];
    let chars = 0;
    for (const text of queue) chars += text.length;
    return chars;
  }
}

function isWriting(logger: ElectronLogger): boolean {
  return (
    (logger.transports.file.getFile() as { hasActiveAsyncWriting?: boolean }).hasActiveAsyncWriting === true
  );
}
