import type { Disposable } from '@tether/sdk';
import { decodeLogBatch, type MuxChannel } from '@tether/sdk/wire';
import { LOGS_CHANNEL_LABEL } from '../constants.js';
import type { OutputLine } from '../runner/runner.js';
import { HOST_LOG_SCOPE, logLevelRank } from './log-record.js';
import type { LogStore } from './log-store.js';
import { OutputLineParser } from './output-line-parser.js';

/**
 * Where one plugin's logs enter the host: the records it sends on its `tether.logs` channel and the lines it
 * writes to stdout/stderr, all into `store` under the extension's name. The level filter is applied before
 * a line is parsed and before a record is copied; a batch's `suppressed` count becomes one warn record.
 */
export class PluginLogIntake implements Disposable {
  readonly #extension: string;
  readonly #store: LogStore;
  readonly #parser: OutputLineParser;
  readonly #channels = new Set<MuxChannel>();
  #malformed = 0;
  #disposed = false;

  constructor(extension: string, store: LogStore) {
    this.#extension = extension;
    this.#store = store;
    this.#parser = new OutputLineParser((level) => store.accepts(level));
  }

  /** Takes the channel when it is the plugin's `tether.logs` channel; returns whether it did. */
  acceptChannel(channel: MuxChannel): boolean {
    if (channel.label !== LOGS_CHANNEL_LABEL || channel.isLocal || this.#disposed) return false;
    this.#channels.add(channel);
    channel.onDidReceive((bytes) => {
      try {
        this.#receive(bytes);
      } catch (error) {
        this.#malformedInput('a log batch could not be stored', error);
      }
    });
    channel.onDidClose(() => this.#channels.delete(channel));
    return true;
  }

  /**
   * One stdout/stderr line of the plugin. Never throws: it runs in the runner's output event, where a throw
   * would become an uncaught exception in the host; a line that cannot be taken is reported instead.
   */
  writeLine(line: OutputLine): void {
    if (this.#disposed) return;
    try {
      const record = this.#parser.parse(line);
      if (record !== undefined) this.#store.append(this.#extension, record);
    } catch (error) {
      this.#malformedInput(`a ${line.stream} line could not be stored`, error);
    }
  }

  /** Stops reading (records already stored stay). */
  dispose(): void {
    this.#disposed = true;
    this.#channels.clear();
  }

  /** Reports the first few malformed inputs, then only counts them (a broken plugin must not flood). */
  #malformedInput(what: string, error: unknown): void {
    if (++this.#malformed > 3) return;
    const reason = error instanceof Error ? error.message : String(error);
    try {
      this.#store.append(this.#extension, {
        time: Date.now(),
        level: 'warn',
        scope: HOST_LOG_SCOPE,
        message: what === '' ? reason : `${what}: ${reason}`,
      });
    } catch {
      // The store itself fails: nothing more can be said about it here.
    }
  }

  #receive(bytes: Uint8Array): void {
    if (this.#disposed) return;
    let batch: ReturnType<typeof decodeLogBatch>;
    try {
      batch = decodeLogBatch(bytes);
    } catch (error) {
      this.#malformedInput('', error);
      return;
    }
    const store = this.#store;
    const minRank = logLevelRank[store.minLevel];
    for (const record of batch.records) {
      if (logLevelRank[record.level] >= minRank) store.append(this.#extension, record);
    }
    if (batch.suppressed > 0) store.appendSuppressed(this.#extension, batch.suppressed);
  }
}
