/**
 * A program running in a pseudo-terminal, as the host sees it: the part of node-pty's `IPty` that
 * {@link PtyTerminal} and the pty runner use. Implemented by `BrokeredPty`, whose pty lives in a broker
 * process so that its master fd never enters the host.
 */
export interface PtyProcess {
  /** The program's pid: a session leader, and the leader of a process group with that id (not on Windows). */
  readonly pid: number;
  /** The terminal's output, raw bytes, in order. */
  onData(listener: (chunk: Buffer) => void): void;
  /**
   * Once, after the last output: node-pty's `exitCode` and `signal` (a signal number; 0 when none).
   */
  onExit(listener: (event: { exitCode: number; signal: number }) => void): void;
  /** Input, in order; dropped once the pty is closed. The caller must not modify `bytes` afterwards. */
  write(bytes: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Stops reading the output: the plugin blocks once the buffers between it and the host are full. */
  pause(): void;
  resume(): void;
}
