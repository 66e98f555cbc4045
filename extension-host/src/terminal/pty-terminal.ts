import { Emitter, type Event } from '@tether/sdk';
import type { ExitStatus } from '../process/process-group.js';
import { ByteBacklog } from './byte-backlog.js';
import type { PtyProcess } from './pty-process.js';
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

/**
 * The {@link TerminalHandle} of one pseudo-terminal (a {@link PtyProcess}: node-pty, in a broker process).
 * The pty is read all the time (unless paused): each chunk goes to the backlog and to `onDidOutput`. The
 * runner reports the process's exit with {@link PtyTerminal.exited} once the pty has delivered the last
 * output.
 *
 * `dispose()` is the viewer letting go: listeners are dropped, the backlog freed, input and resizes ignored,
 * reading goes on (resumed if paused) so the plugin never blocks on a full terminal. It does not stop the
 * plugin; its owner does (`LaunchedPlugin.terminate`, `PluginClient.stop`).
 */
export class PtyTerminal implements TerminalHandle {
  readonly #pty: PtyProcess;
  readonly #backlog: ByteBacklog;
  readonly #onDidOutput = new Emitter<Uint8Array>();
  readonly #onDidExit = new Emitter<ExitStatus>();
  #size: TerminalSize;
  #exitStatus: ExitStatus | undefined;
  #paused = false;
  #disposed = false;

  constructor(pty: PtyProcess, options: PtyTerminalOptions) {
    this.#pty = pty;
    this.#size = options.size;
    this.#backlog = new ByteBacklog(options.backlogBytes);
    const tap = options.tap;
    pty.onData((chunk) => {
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
    // Input to a gone terminal is dropped (by the broker's PtyWriter), as a real terminal drops keystrokes
    // after its program ended.
    this.#pty.write(bytes);
  }

  resize(size: TerminalSize): void {
    const checked = checkTerminalSize(size, 'INVALID_ARGUMENT');
    if (this.#exitStatus !== undefined || this.#disposed) return;
    // A resize racing the exit is ignored by the broker.
    this.#pty.resize(checked.cols, checked.rows);
    this.#size = checked;
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
   * The runner's report that the process has exited and the pty delivered its last output: sets
   * `exitStatus`, fires `onDidExit` once, then releases the listeners. Later calls are ignored.
   */
  exited(status: ExitStatus): void {
    if (this.#exitStatus !== undefined) return;
    this.#exitStatus = status;
    this.#paused = false;
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
