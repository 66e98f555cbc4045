import { Emitter, type Disposable, type Event } from '@tether/sdk';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import { EscapeScanner } from './escape-sequence.js';
import type { TerminalInput, TerminalOutput } from './terminal-streams.js';

/** What a program reading a terminal in canonical mode takes as end of input (Ctrl-D). */
const END_OF_INPUT = '\x04';

export interface TerminalPassthroughOptions {
  /** The user's keyboard, usually `process.stdin`. */
  readonly stdin: TerminalInput;
  /** The user's screen, usually `process.stdout`. */
  readonly stdout: TerminalOutput;
  /** Recognise `Enter ~.` (see escape-sequence.ts). Default: when stdin is a TTY, as ssh does. */
  readonly escape?: boolean;
}

/** Why the user's terminal can no longer be used. */
export interface TerminalLost {
  /** The terminal hung up (stdin ended) or its output failed (EIO, EPIPE). */
  readonly reason: 'input-ended' | 'output-failed';
  readonly error?: Error;
}

/**
 * Connects the user's terminal to a plugin's pseudo-terminal, the way ssh connects yours to the remote one:
 *
 * - stdin is put in raw mode (only when it is a TTY), so every key — Ctrl-C, Ctrl-Z, arrows — reaches the
 *   plugin's terminal as bytes, and the plugin's own line discipline decides what they mean. The CLI keeps
 *   only `Enter ~.` for itself ({@link onDidDetach}).
 * - the plugin's output is written to stdout as is, with backpressure: while stdout is full the handle is
 *   paused, which holds the plugin when its terminal buffer fills.
 * - the size follows stdout's: set at start, then on every 'resize' (SIGWINCH).
 * - when stdin is not a TTY (piped), bytes pass through unchanged and its end is sent as Ctrl-D.
 *
 * {@link restore} gives the terminal back — raw mode off, stdin paused and unref'd, every listener removed —
 * and is idempotent. It runs by itself when the plugin's terminal exits, on `dispose()`, and from the
 * process's 'exit' event as a last resort (an uncaught exception, `process.exit` elsewhere); the owner calls
 * it for signals and errors.
 */
export class TerminalPassthrough implements Disposable {
  readonly #terminal: TerminalHandle;
  readonly #stdin: TerminalInput;
  readonly #stdout: TerminalOutput;
  readonly #escape: EscapeScanner | undefined;
  readonly #wasRaw: boolean;
  #rawSet = false;
  #restored = false;
  #disposed = false;
  #waitingForDrain = false;
  readonly #subscriptions: Disposable[] = [];
  readonly #onDidDetach = new Emitter<void>();
  readonly #onDidLoseTerminal = new Emitter<TerminalLost>();
  /** The user typed `Enter ~.`: the terminal is already restored; the owner stops the plugin. */
  readonly onDidDetach: Event<void> = this.#onDidDetach.event;
  /** The user's terminal went away; the passthrough is already disposed. */
  readonly onDidLoseTerminal: Event<TerminalLost> = this.#onDidLoseTerminal.event;

  constructor(terminal: TerminalHandle, options: TerminalPassthroughOptions) {
    this.#terminal = terminal;
    this.#stdin = options.stdin;
    this.#stdout = options.stdout;
    const isTTY = this.#stdin.isTTY === true;
    this.#escape = (options.escape ?? isTTY) ? new EscapeScanner() : undefined;
    this.#wasRaw = this.#stdin.isRaw === true;

    // First the way back, then the change: whatever happens next, exit puts the terminal back.
    process.once('exit', this.#restoreOnExit);
    this.#stdin.on('error', this.#onInputError);
    this.#stdout.on('error', this.#onOutputError);
    if (isTTY && typeof this.#stdin.setRawMode === 'function') {
      this.#stdin.setRawMode(true);
      this.#rawSet = true;
    }
    this.#stdin.on('data', this.#onInput);
    this.#stdin.on('end', this.#onInputEnd);
    this.#stdin.resume();
    this.#subscriptions.push(terminal.onDidOutput(this.#onOutput));
    if (this.#stdout.isTTY === true) {
      this.#stdout.on('resize', this.#onResize);
      this.#onResize();
    }
    this.#subscriptions.push(terminal.onDidExit(() => this.dispose()));
    if (terminal.exitStatus !== undefined) this.dispose();
  }

  /** True while stdin is in raw mode because of this passthrough. */
  get raw(): boolean {
    return this.#rawSet && !this.#restored;
  }

  /**
   * Gives the user's terminal back: raw mode as it was, stdin no longer read (paused, unref'd so the
   * process can exit), the resize and input listeners removed. The plugin's output is still shown until
   * `dispose()`. Idempotent; safe from an 'exit' handler (all synchronous).
   */
  restore(): void {
    if (this.#restored) return;
    this.#restored = true;
    process.off('exit', this.#restoreOnExit);
    if (this.#rawSet) {
      try {
        this.#stdin.setRawMode?.(this.#wasRaw);
      } catch {
        // The terminal is gone (EIO after a hang-up): there is nothing left to restore.
      }
    }
    this.#stdin.off('data', this.#onInput);
    this.#stdin.off('end', this.#onInputEnd);
    this.#stdin.off('error', this.#onInputError);
    this.#stdin.pause();
    this.#stdin.unref?.();
    this.#stdout.off('resize', this.#onResize);
  }

  /** Restores the terminal and stops showing the plugin's output. Idempotent. */
  dispose(): void {
    if (!this.#disposed) this.#release();
    this.#onDidDetach.dispose();
    this.#onDidLoseTerminal.dispose();
  }

  #release(): void {
    this.#disposed = true;
    this.restore();
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    this.#stdout.off('error', this.#onOutputError);
    this.#stdout.off('drain', this.#onDrain);
    // Nobody reads for the plugin any more; never leave it blocked on a full terminal.
    if (this.#waitingForDrain) {
      this.#waitingForDrain = false;
      this.#terminal.resume();
    }
  }

  readonly #restoreOnExit = (): void => this.restore();

  readonly #onInput = (chunk: Buffer | string): void => {
    if (this.#restored) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.#escape === undefined) {
      this.#terminal.write(bytes);
      return;
    }
    const { forward, detach } = this.#escape.scan(bytes);
    if (forward.byteLength > 0) this.#terminal.write(forward);
    if (detach) {
      this.restore();
      this.#onDidDetach.fire();
    }
  };

  readonly #onInputEnd = (): void => {
    if (this.#stdin.isTTY === true) {
      // A terminal only ends when it hangs up (raw mode turns Ctrl-D into a byte).
      this.#lose({ reason: 'input-ended' });
      return;
    }
    // Piped input is over: tell the plugin as a terminal would, and keep showing its output.
    this.#terminal.write(END_OF_INPUT);
    this.restore();
  };

  readonly #onInputError = (error: Error): void => this.#lose({ reason: 'input-ended', error });

  readonly #onOutputError = (error: Error): void => this.#lose({ reason: 'output-failed', error });

  #lose(lost: TerminalLost): void {
    if (this.#disposed) return;
    this.#release();
    this.#onDidLoseTerminal.fire(lost);
    this.dispose();
  }

  readonly #onOutput = (chunk: Uint8Array): void => {
    if (this.#disposed) return;
    if (this.#stdout.write(chunk) || this.#waitingForDrain) return;
    // stdout is full: hold the plugin's terminal until it drains.
    this.#waitingForDrain = true;
    this.#terminal.pause();
    this.#stdout.once('drain', this.#onDrain);
  };

  readonly #onDrain = (): void => {
    if (!this.#waitingForDrain) return;
    this.#waitingForDrain = false;
    this.#terminal.resume();
  };

  readonly #onResize = (): void => {
    const { columns, rows } = this.#stdout;
    if (!isCellCount(columns) || !isCellCount(rows)) return;
    const size = this.#terminal.size;
    if (size.cols === columns && size.rows === rows) return;
    this.#terminal.resize({ cols: columns, rows });
  };
}

function isCellCount(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 10_000;
}
