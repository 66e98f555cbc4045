import type { Disposable, Event } from '@tether/sdk';
import type { ExitStatus } from '../process/process-group.js';

/** A terminal size in character cells. */
export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

/**
 * The host's side of a plugin's pseudo-terminal: bytes out, bytes in, resize, exit. Transport-neutral on
 * purpose — a stream of bytes plus a size — so the same handle backs the CLI's passthrough (`tether run`)
 * and the app's terminal panel (xterm.js), and could be carried over a mux channel.
 *
 * Output is never lost while nobody listens: the handle keeps a bounded backlog of the latest bytes that a
 * late viewer (a panel opened after start) replays first.
 */
export interface TerminalHandle extends Disposable {
  /** The current size (the last `resize`, or the size the terminal was opened with). */
  readonly size: TerminalSize;
  /**
   * Raw bytes the plugin (and the programs it runs) wrote to the terminal, in order, escape sequences kept
   * (chunks may end inside a UTF-8 character or an escape sequence; decode with `stream: true`). The chunk is
   * shared with the backlog: read it, do not modify it.
   */
  readonly onDidOutput: Event<Uint8Array>;
  /** Fires once, after the plugin's process has exited and its remaining terminal output was delivered. */
  readonly onDidExit: Event<ExitStatus>;
  /** Set when `onDidExit` fires. */
  readonly exitStatus: ExitStatus | undefined;
  /**
   * Types into the terminal, as a user at a keyboard would: a string is sent as UTF-8; `'\x03'` is Ctrl-C,
   * which the terminal's line discipline turns into SIGINT for the foreground job. Ignored after exit.
   */
  write(data: string | Uint8Array): void;
  /**
   * Changes the window size; the plugin's foreground job gets SIGWINCH. `cols` and `rows` must be whole
   * numbers from 1 to 10 000 (INVALID_ARGUMENT otherwise). Ignored after exit.
   */
  resize(size: TerminalSize): void;
  /** The latest output (at most the backlog cap, default 1 MiB), oldest first, for a viewer that attaches late. */
  backlog(): Uint8Array;
  /**
   * Stops reading the terminal (the plugin blocks when the kernel buffer is full) until `resume()`;
   * a consumer that cannot keep up (a slow stdout) uses this for backpressure. Resume promptly when the
   * plugin exits: output still unread 200 ms after its exit is dropped (node-pty then closes the pty).
   */
  pause(): void;
  resume(): void;
  /**
   * The viewer lets go: listeners are dropped, the backlog freed, input and resizes ignored; the terminal is
   * still read (and resumed if paused) so the plugin never blocks on it. It does not stop the plugin — its
   * owner does (`PluginClient.stop`). Idempotent.
   */
  dispose(): void;
}
