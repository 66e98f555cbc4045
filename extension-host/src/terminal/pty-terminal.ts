import type { IPty } from 'node-pty';
import { Emitter, type Event } from '@tether/sdk';
import type { ExitStatus } from '../process/process-group.js';
import { ByteBacklog } from './byte-backlog.js';
import { PtyWriter } from './pty-writer.js';
import type { TerminalHandle, TerminalSize } from './terminal-handle.js';
import { checkTerminalSize } from './terminal-size.js';

/** What {@link PtyTerminal} needs besides the pty. */
export interface PtyTerminalOptions {
  /** The size the pty was opened with (already checked). */
  readonly size: TerminalSize;
  /** Bytes of output kept for late viewers. */
  readonly backlogBytes: number;
  /**
   * Sees every chunk of output, before the listeners and whatever they do (even after `dispose()`): the
   * runner's crash-report tail.
   */
  readonly tap?: ((chunk: Uint8Array) => void) | undefined;
}

/** What node-pty's Unix terminal has at run time beyond its typings: the master fd and the 'close' event. */
interface UnixPtyInternals {
  readonly fd?: unknown;
  on?(event: 'close', listener: () => void): void;
}

/**
 * The {@link TerminalHandle} of one node-pty pseudo-terminal. The pty is read all the time (unless paused):
 * each chunk goes to the backlog and to `onDidOutput`. The runner reports the process's exit with
 * {@link PtyTerminal.exited} once node-pty has delivered the last output.
 *
 * `dispose()` is the viewer letting go: listeners are dropped, the backlog freed, input and resizes ignored,
 * reading goes on (resumed if paused) so the plugin never blocks on a full terminal. It does not stop the
 * plugin; its owner does (`LaunchedPlugin.terminate`, `PluginClient.stop`).
 */
export class PtyTerminal implements TerminalHandle {
  readonly #pty: IPty;
  readonly #input: (bytes: Buffer) => void;
  readonly #closeInput: () => void;
  readonly #backlog: ByteBacklog;
  readonly #onDidOutput = new Emitter<Uint8Array>();
  readonly #onDidExit = new Emitter<ExitStatus>();
  #size: TerminalSize;
  #exitStatus: ExitStatus | undefined;
  #paused = false;
  #disposed = false;

  constructor(pty: IPty, options: PtyTerminalOptions) {
    this.#pty = pty;
    this.#size = options.size;
    this.#backlog = new ByteBacklog(options.backlogBytes);
    const internals = pty as unknown as UnixPtyInternals;
    if (
      process.platform !== 'win32' &&
      typeof internals.fd === 'number' &&
      typeof internals.on === 'function'
    ) {
      // Unix: our own writer on the master fd (see PtyWriter for why), closed when node-pty closes it.
      const writer = new PtyWriter(internals.fd);
      internals.on('close', () => writer.close());
      this.#input = (bytes) => writer.write(bytes);
      this.#closeInput = () => writer.close();
    } else {
      // Windows (conpty): node-pty's own write.
      this.#input = (bytes) => pty.write(bytes);
      this.#closeInput = () => {};
    }
    const tap = options.tap;
    // With `encoding: null` node-pty hands over the Buffers it read (its typings say string).
    pty.onData((data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      tap?.(chunk);
      if (this.#disposed) return;
      this.#backlog.push(chunk);
      this.#onDidOutput.fire(chunk);
    });
  }

  get size(): TerminalSize {
    return this.#size;
  }

  get onDidOutput(): Event<Uint8Array> {
    return this.#onDidOutput.event;
  }

  get onDidExit(): Event<ExitStatus> {
    return this.#onDidExit.event;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  write(data: string | Uint8Array): void {
    if (this.#exitStatus !== undefined || this.#disposed) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (bytes.length === 0) return;
    try {
      this.#input(bytes);
    } catch {
      // The pty closed under us (the plugin is exiting; EIO/EBADF): input to a gone terminal is dropped,
      // as a real terminal drops keystrokes after its program ended.
    }
  }

  resize(size: TerminalSize): void {
    const checked = checkTerminalSize(size, 'INVALID_ARGUMENT');
    if (this.#exitStatus !== undefined || this.#disposed) return;
    try {
      this.#pty.resize(checked.cols, checked.rows);
      this.#size = checked;
    } catch {
      // The pty is already closed (the plugin is exiting): nothing left to resize.
    }
  }

  backlog(): Uint8Array {
    return this.#backlog.bytes();
  }

  pause(): void {
    if (this.#paused || this.#exitStatus !== undefined || this.#disposed) return;
    this.#paused = true;
    this.#pty.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#pty.resume();
  }

  /**
   * The runner's report that the process has exited and node-pty delivered its last output: sets
   * `exitStatus`, fires `onDidExit` once, then releases the listeners. Later calls are ignored.
   */
  exited(status: ExitStatus): void {
    if (this.#exitStatus !== undefined) return;
    this.#exitStatus = status;
    this.#paused = false;
    this.#closeInput();
    if (!this.#disposed) this.#onDidExit.fire(status);
    this.#onDidExit.dispose();
    this.#onDidOutput.dispose();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.resume();
    this.#disposed = true;
    this.#backlog.clear();
    this.#onDidOutput.dispose();
    this.#onDidExit.dispose();
  }
}
