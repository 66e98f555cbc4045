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
 * Mirrors a plugin's output lines to a host writer as `[name] line`. The lines of one turn of the event loop
 * (a pipe read delivers thousands in a flood) go out in one `write` at the end of the turn, not one each: a
 * write is a system call, and one per line took about half the host's time of a flood. It never waits for
 * the writer: while the writer is full, up to `maxBufferedChars` characters of lines are held; beyond that
 * lines are dropped and counted, and once the writer drains and the held lines are written, one
 * `[name] … N lines dropped` line says how many were lost (go-plugin #147: a slow log consumer must not
 * block the plugin).
 */
export class OutputMirror implements Disposable {
  readonly #prefix: string;
  readonly #writer: OutputWriter;
  readonly #maxBufferedChars: number;
  /** Lines not yet handed to the writer: this turn's, or those held while it is full. */
  #queue: string[] = [];
  #queuedChars = 0;
  #dropped = 0;
  #droppedTotal = 0;
  #waitingForDrain = false;
  #flushScheduled = false;
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

  /** Characters of lines not yet handed to the writer (while it is full, at most `maxBufferedChars`). */
  get bufferedChars(): number {
    return this.#queuedChars;
  }

  /** Queues one line; the writer gets it at the end of this turn of the event loop (or after its drain). */
  writeLine(_stream: OutputStream, line: string): void {
    if (this.#disposed) return;
    const text = `${this.#prefix}${line}\n`;
    if (this.#waitingForDrain) {
      // Once lines were dropped, later ones are dropped too until the drop notice is out, so the notice
      // sits exactly where the gap is.
      if (this.#dropped > 0 || this.#queuedChars + text.length > this.#maxBufferedChars) {
        this.#dropped++;
        this.#droppedTotal++;
        return;
      }
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
    this.#queue.push(text);
    this.#queuedChars += text.length;
  }

  /**
   * Hands this turn's lines to the writer now and stops mirroring; lines held for a drain are discarded.
   * Idempotent.
   */
  dispose(): void {
    if (this.#disposed) return;
    if (!this.#waitingForDrain) this.#flush();
    this.#disposed = true;
    this.#queue = [];
    this.#queuedChars = 0;
    if (this.#waitingForDrain) this.#writer.off?.('drain', this.#onDrain);
  }

  /** Writes what is queued in one piece, unless the writer is full (the drain writes it then). */
  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#disposed || this.#waitingForDrain || this.#queue.length === 0) return;
    const text = this.#queue.length === 1 ? this.#queue[0]! : this.#queue.join('');
    this.#queue = [];
    this.#queuedChars = 0;
    this.#write(text);
  };

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
    this.#flush();
    if (this.#waitingForDrain || this.#dropped === 0) return;
    const dropped = this.#dropped;
    this.#dropped = 0;
    this.#write(
      `${this.#prefix}… ${dropped} line${dropped === 1 ? '' : 's'} dropped (the output writer was too slow)\n`,
    );
  };
}
