import type { Disposable } from '@tether/sdk';

/**
 * Where mirrored output goes: a Node Writable (the default is the host's `process.stderr`) or anything
 * shaped like one. `write` returning false means "stop until 'drain'".
 */
export interface OutputWriter {
  write(text: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off?(event: 'drain', listener: () => void): unknown;
}

/** Which of the plugin's streams a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * Mirrors a plugin's output lines to a host writer as `[name] line`. It never waits for the writer: while
 * the writer is full, up to `maxBufferedChars` characters of lines are held; beyond that lines are dropped
 * and counted, and once the writer drains and the held lines are written, one `[name] … N lines dropped`
 * line says how many were lost (go-plugin #147: a slow log consumer must not block the plugin).
 */
export class OutputMirror implements Disposable {
  readonly #prefix: string;
  readonly #writer: OutputWriter;
  readonly #maxBufferedChars: number;
  #queue: string[] = [];
  #queuedChars = 0;
  #dropped = 0;
  #droppedTotal = 0;
  #waitingForDrain = false;
  #disposed = false;

  constructor(name: string, writer: OutputWriter, maxBufferedChars: number) {
    this.#prefix = `[${name}] `;
    this.#writer = writer;
    this.#maxBufferedChars = maxBufferedChars;
  }

  /** Lines dropped so far because the writer was too slow. */
  get droppedLines(): number {
    return this.#droppedTotal;
  }

  /** Characters of lines held while the writer is full (at most `maxBufferedChars`). */
  get bufferedChars(): number {
    return this.#queuedChars;
  }

  writeLine(_stream: OutputStream, line: string): void {
    if (this.#disposed) return;
    const text = `${this.#prefix}${line}\n`;
    if (!this.#waitingForDrain) {
      this.#write(text);
      return;
    }
    // Once lines were dropped, later ones are dropped too until the drop notice is out, so the notice
    // sits exactly where the gap is.
    if (this.#dropped > 0 || this.#queuedChars + text.length > this.#maxBufferedChars) {
      this.#dropped++;
      this.#droppedTotal++;
      return;
    }
    this.#queue.push(text);
    this.#queuedChars += text.length;
  }

  /** Stops mirroring; lines still held are discarded. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#queue = [];
    this.#queuedChars = 0;
    if (this.#waitingForDrain) this.#writer.off?.('drain', this.#onDrain);
  }

  #write(text: string): void {
    let accepted: boolean;
    try {
      accepted = this.#writer.write(text);
    } catch {
      // A broken writer (closed pipe) must not take the plugin's output handling down with it.
      accepted = true;
    }
    if (!accepted) {
      this.#waitingForDrain = true;
      this.#writer.once('drain', this.#onDrain);
    }
  }

  readonly #onDrain = (): void => {
    this.#waitingForDrain = false;
    if (this.#disposed) return;
    const queue = this.#queue;
    for (let i = 0; i < queue.length;) {
      const text = queue[i++]!;
      this.#queuedChars -= text.length;
      this.#write(text);
      if (this.#waitingForDrain) {
        this.#queue = queue.slice(i);
        return;
      }
    }
    this.#queue = [];
    if (this.#dropped > 0) {
      const dropped = this.#dropped;
      this.#dropped = 0;
      this.#write(
        `${this.#prefix}… ${dropped} line${dropped === 1 ? '' : 's'} dropped (the output writer was too slow)\n`,
      );
    }
  };
}
