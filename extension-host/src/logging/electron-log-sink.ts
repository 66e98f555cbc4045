import { rm } from 'node:fs/promises';
import path from 'node:path';
import electronLog from 'electron-log/node.js';
import { TetherError } from '@tether/sdk';
import { DEFAULT_LOG_FILE_MAX_BYTES, DEFAULT_LOG_FILE_QUEUE_CHARS } from '../constants.js';
import { formatLogLine, logFileName, oldLogFile } from './format-log-line.js';
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
  /**
   * The characters in electron-log's queue, counted once per event-loop turn and then kept up to date by
   * adding what this sink hands it: summing the whole queue for every record cost ~90 µs a line under a
   * flood (84% of the host's time), against ~3 µs this way. `undefined` until counted in this turn.
   */
  queued: number | undefined;
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
    const queued = this.#queued(target);
    if (queued > this.#maxQueueChars) {
      target.dropped++;
      return;
    }
    if (target.dropped > 0 && queued === 0) {
      const line = formatLogLine(suppressedRecord(target.dropped));
      target.logger.warn(line);
      target.queued = queued + line.length;
      target.dropped = 0;
    }
    const line = formatLogLine(record);
    target.logger[electronLevel[record.level]](line);
    target.queued = (target.queued ?? 0) + line.length;
  }

  #queued(target: Target): number {
    if (target.queued === undefined) {
      target.queued = this.#queuedChars(target.logger);
      setImmediate(() => (target.queued = undefined)).unref();
    }
    return target.queued;
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

  async remove(extension: string): Promise<void> {
    if (this.#targets.has(extension)) {
      await this.flush();
      this.#targets.delete(extension);
    }
    const file = this.fileFor(extension);
    await Promise.all([file, oldLogFile(file)].map((name) => rm(name, { force: true })));
  }

  dispose(): void {
    this.#disposed = true;
  }

  #target(extension: string): Target {
    let target = this.#targets.get(extension);
    if (target === undefined) {
      // Extra options reach electron-log's Logger constructor (create spreads them); its typings list only logId.
      const options = {
        logId: `tether:${extension}`,
        dependencies: withAppFacts(sharedDependencies(), extension, this.#dir),
      };
      const logger = electronLog.create(options);
      const file = this.fileFor(extension);
      logger.transports.file.resolvePathFn = () => file;
      logger.transports.file.maxSize = this.#maxFileBytes;
      logger.transports.file.level = 'silly';
      logger.transports.file.sync = false;
      logger.transports.file.format = '{text}';
      logger.transports.console.level = false;
      target = { logger, dropped: 0, queued: undefined };
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

/** What electron-log's Node build hands every logger it creates (untyped); `externalApi` among them. */
interface Dependencies {
  readonly externalApi: object;
}

/** electron-log's own dependencies (of its default logger). */
function sharedDependencies(): Dependencies {
  const { dependencies } = electronLog as unknown as { dependencies?: Partial<Dependencies> };
  if (typeof dependencies?.externalApi !== 'object') {
    throw new TetherError(
      'INVALID_OPTIONS',
      'This electron-log has no dependencies.externalApi, which ElectronLogSink relies on (electron-log 5.x); install electron-log ^5.4.4.',
    );
  }
  return dependencies as Dependencies;
}

/**
 * What electron-log's Node build asks about "the app" when a logger's file is first used: its name, version
 * and log folder. By default it reads the nearest package.json of the main script, else of the working
 * directory, and throws "electron-log can't determine the app name" when there is none — `tether run` from a
 * home directory or /tmp (issue 10). Each logger gets its own answers instead, so nothing depends on the
 * working directory: the extension's name and `dir`. (Derived from the shared object, which is not changed:
 * other electron-log users in the process keep theirs.)
 */
function withAppFacts(shared: Dependencies, extension: string, dir: string): Dependencies {
  const externalApi = Object.assign(Object.create(shared.externalApi) as object, {
    appName: extension,
    appPackageJson: { name: extension, version: undefined },
    getAppLogPath: () => dir,
  });
  return { ...shared, externalApi };
}

function isWriting(logger: ElectronLogger): boolean {
  return (
    (logger.transports.file.getFile() as { hasActiveAsyncWriting?: boolean }).hasActiveAsyncWriting === true
  );
}
