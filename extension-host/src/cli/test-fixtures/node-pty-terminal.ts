// Test-only: a TerminalHandle over a program run directly in node-pty, so the passthrough can be tested
// with a real pseudo-terminal and a real process without a Tether plugin (the pty runner's handle is the
// production one; this one only has to honour the same interface).
import { constants } from 'node:os';
import { Emitter } from '@tether/sdk';
import { spawn, type IPty } from 'node-pty';
import type { ExitStatus } from '../../process/process-group.js';
import type { TerminalHandle, TerminalSize } from '../../terminal/terminal-handle.js';

export class NodePtyTerminal implements TerminalHandle {
  readonly #pty: IPty;
  #size: TerminalSize;
  #exitStatus: ExitStatus | undefined;
  readonly #output: Uint8Array[] = [];
  readonly #onDidOutput = new Emitter<Uint8Array>();
  readonly #onDidExit = new Emitter<ExitStatus>();
  readonly onDidOutput = this.#onDidOutput.event;
  readonly onDidExit = this.#onDidExit.event;
  /** How many times `pause()` was called: the passthrough's backpressure, seen from the plugin's side. */
  pauses = 0;

  constructor(file: string, args: readonly string[], size: TerminalSize = { cols: 80, rows: 24 }) {
    this.#size = size;
    this.#pty = spawn(file, [...args], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/' },
      // Raw bytes: escape sequences and split UTF-8 are the consumer's business.
      encoding: null,
    });
    this.#pty.onData((data: string | Buffer) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      this.#output.push(bytes);
      this.#onDidOutput.fire(bytes);
    });
    this.#pty.onExit(({ exitCode, signal }) => {
      const name =
        signal === undefined || signal === 0
          ? null
          : ((Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] as NodeJS.Signals) ??
            null);
      this.#exitStatus = name === null ? { code: exitCode, signal: null } : { code: null, signal: name };
      this.#onDidExit.fire(this.#exitStatus);
    });
  }

  get pid(): number {
    return this.#pty.pid;
  }

  get size(): TerminalSize {
    return this.#size;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  write(data: string | Uint8Array): void {
    if (this.#exitStatus !== undefined) return;
    this.#pty.write(typeof data === 'string' ? data : Buffer.from(data));
  }

  resize(size: TerminalSize): void {
    if (this.#exitStatus !== undefined) return;
    this.#size = size;
    this.#pty.resize(size.cols, size.rows);
  }

  backlog(): Uint8Array {
    return Buffer.concat(this.#output);
  }

  pause(): void {
    this.pauses += 1;
    this.#pty.pause();
  }

  resume(): void {
    this.#pty.resume();
  }

  dispose(): void {
    if (this.#exitStatus === undefined) this.#pty.kill('SIGKILL');
  }
}
