import { write } from 'node:fs';

/** Longest wait between two tries of a write the kernel refused (EAGAIN: the program is not reading). */
const MAX_RETRY_DELAY_MS = 50;

/**
 * Input to a pty, written to its master file descriptor by the pty broker (`pty-broker-main.ts`, the only
 * process holding the master): in order, without blocking (the master is non-blocking; a full kernel
 * buffer, EAGAIN, is retried after a delay that grows to 50 ms, so a paste into a program that does not
 * read costs no busy loop), and
 * dropped — silently, like keystrokes after a program ended — once the pty is closed or a write fails
 * (EIO/EBADF when the plugin is gone).
 *
 * Why not node-pty's own `write`: its queue outlives the pty. Input typed while the plugin exits stays
 * queued and is retried after node-pty has closed the descriptor, which logs "Unhandled pty write error"
 * on the console and, worse, could land in whatever file reuses that descriptor number. Here
 * `close()` (called when node-pty reports the pty closed, before the descriptor can be reused) empties the
 * queue and no write starts after it.
 */
export class PtyWriter {
  readonly #fd: number;
  #queue: { bytes: Buffer; offset: number }[] = [];
  #writing = false;
  #retry: NodeJS.Timeout | undefined;
  #refused = 0;
  #closed = false;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** Queues bytes (the caller must not modify them afterwards); ignored once closed. */
  write(bytes: Buffer): void {
    if (this.#closed || bytes.length === 0) return;
    this.#queue.push({ bytes, offset: 0 });
    if (!this.#writing && this.#retry === undefined) this.#pump();
  }

  /** No more writes: drops what is queued. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  #pump(): void {
    this.#retry = undefined;
    const task = this.#queue[0];
    if (this.#closed || task === undefined) return;
    this.#writing = true;
    write(this.#fd, task.bytes, task.offset, task.bytes.length - task.offset, null, (error, written) => {
      this.#writing = false;
      if (error !== null) {
        if (error.code !== 'EAGAIN') {
          this.close();
          return;
        }
        this.#refused++;
        const delay = Math.min(2 ** (this.#refused - 1), MAX_RETRY_DELAY_MS);
        this.#retry = setTimeout(() => this.#pump(), delay).unref();
        return;
      }
      this.#refused = 0;
      task.offset += written;
      if (task.offset >= task.bytes.length) this.#queue.shift();
      this.#pump();
    });
  }
}
