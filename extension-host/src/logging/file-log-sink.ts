import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_LOG_FILE_MAX_BYTES, DEFAULT_LOG_FILE_QUEUE_CHARS } from '../constants.js';
import { formatLogLine, logFileName, oldLogFile } from './format-log-line.js';
import { suppressedRecord, type HostLogRecord } from './log-record.js';
import type { LogSink } from './log-sink.js';

export interface FileLogSinkOptions {
  /** The folder of the log files (created when missing): one `<extension>.log` per extension. */
  readonly dir: string;
  /** Size at which a file is rotated to `<extension>.old.log`. Default `DEFAULT_LOG_FILE_MAX_BYTES`. */
  readonly maxFileBytes?: number;
  /** Characters queued per file while the disk is behind; more are dropped and counted. */
  readonly maxQueueChars?: number;
}

interface FileState {
  readonly file: string;
  queue: string[];
  queuedChars: number;
  dropped: number;
  /** Bytes in the file; undefined until read from disk. */
  size: number | undefined;
  writing: Promise<void> | undefined;
}

/**
 * Appends records to one file per extension, with rotation (one old file kept). Never blocks the caller:
 * lines are queued and written asynchronously, one write at a time per file; past `maxQueueChars` they are
 * dropped and a `suppressed N records` line is written when the disk catches up.
 */
export class FileLogSink implements LogSink {
  readonly #dir: string;
  readonly #maxFileBytes: number;
  readonly #maxQueueChars: number;
  readonly #files = new Map<string, FileState>();
  #madeDir: Promise<unknown> | undefined;
  #disposed = false;
  /** The last write error (a full disk, no permission); logging goes on without failing the host. */
  lastError: Error | undefined;

  constructor(options: FileLogSinkOptions) {
    this.#dir = options.dir;
    this.#maxFileBytes = options.maxFileBytes ?? DEFAULT_LOG_FILE_MAX_BYTES;
    this.#maxQueueChars = options.maxQueueChars ?? DEFAULT_LOG_FILE_QUEUE_CHARS;
  }

  /** The file `extension` logs to. */
  fileFor(extension: string): string {
    return path.join(this.#dir, logFileName(extension));
  }

  write(record: HostLogRecord): void {
    if (this.#disposed) return;
    let state = this.#files.get(record.extension);
    if (state === undefined) {
      state = {
        file: this.fileFor(record.extension),
        queue: [],
        queuedChars: 0,
        dropped: 0,
        size: undefined,
        writing: undefined,
      };
      this.#files.set(record.extension, state);
    }
    if (state.queuedChars >= this.#maxQueueChars) {
      state.dropped++;
      return;
    }
    const line = `${formatLogLine(record)}\n`;
    state.queue.push(line);
    state.queuedChars += line.length;
    state.writing ??= this.#drain(state);
  }

  /** Resolves when everything queued so far is on disk. */
  async flush(): Promise<void> {
    for (;;) {
      const pending = [...this.#files.values()].map((s) => s.writing).filter((w) => w !== undefined);
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  }

  async remove(extension: string): Promise<void> {
    const state = this.#files.get(extension);
    if (state !== undefined) {
      state.queue = [];
      state.queuedChars = 0;
      state.dropped = 0;
      await state.writing;
      this.#files.delete(extension);
    }
    const file = this.fileFor(extension);
    await Promise.all([file, oldLogFile(file)].map((name) => rm(name, { force: true })));
  }

  dispose(): void {
    this.#disposed = true;
  }

  async #drain(state: FileState): Promise<void> {
    try {
      this.#madeDir ??= mkdir(this.#dir, { recursive: true });
      await this.#madeDir;
      state.size ??= await stat(state.file).then(
        (s) => s.size,
        () => 0,
      );
      while (state.queue.length > 0 || state.dropped > 0) {
        let text = state.queue.join('');
        state.queue = [];
        state.queuedChars = 0;
        if (state.dropped > 0 && text === '') {
          text = `${formatLogLine(suppressedRecord(state.dropped))}\n`;
          state.dropped = 0;
        }
        const bytes = Buffer.byteLength(text);
        if (state.size > 0 && state.size + bytes > this.#maxFileBytes) {
          await rename(state.file, oldLogFile(state.file));
          state.size = 0;
        }
        await appendFile(state.file, text);
        state.size += bytes;
      }
    } catch (error) {
      this.lastError = error instanceof Error ? error : new Error(String(error));
      state.queue = [];
      state.queuedChars = 0;
    } finally {
      state.writing = undefined;
    }
  }
}
