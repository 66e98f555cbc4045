import { constants } from 'node:os';
import { ConnectionClosedError, type Event } from '@tether/sdk';
import { Emitter } from '@tether/sdk';
import type { Transport } from '@tether/sdk/wire';
import { LineSplitter } from '../process/line-splitter.js';
import { ProcessGroup, terminateProcessGroup, type ExitStatus } from '../process/process-group.js';
import type { SocketDir } from '../process/socket-dir.js';
import { StderrTail } from '../process/stderr-tail.js';
import { SocketConnection } from './socket-connection.js';
import type { PtyProcess } from '../terminal/pty-process.js';
import { PtyTerminal } from '../terminal/pty-terminal.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import { terminalLineText } from '../terminal/terminal-text.js';
import { PluginExitedError, describeExit } from './plugin-exited-error.js';
import type { LaunchedTerminalPlugin } from './pty-runner.js';
import type { ResolvedPtyRunnerOptions } from './pty-runner-options.js';
import type { OutputLine } from './runner.js';
import { checkGraceMs } from './runner-options.js';

/** A pty plugin has no output lines apart from its terminal (see `PtyRunner`): this event never fires. */
const noOutputLines: Event<OutputLine> = () => ({ dispose() {} });

/** Signal numbers as node-pty reports them → names. */
const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/** node-pty's `{ exitCode, signal }` (signal 0 or absent: none) as an {@link ExitStatus}. */
export function ptyExitStatus(exitCode: number, signal: number | undefined): ExitStatus {
  if (signal === undefined || signal === 0) return { code: exitCode, signal: null };
  const name = signalNames.get(signal);
  // A signal this platform has no name for: report it the way shells do.
  return name === undefined ? { code: 128 + signal, signal: null } : { code: null, signal: name };
}

/**
 * A plugin running in a pseudo-terminal: the process group it leads, its terminal, the private socket it
 * connects to. The exit is taken from node-pty (in the pty broker), reported once the terminal's last
 * output was read.
 */
export class PtyPlugin implements LaunchedTerminalPlugin {
  readonly pid: number;
  readonly #name: string;
  readonly #terminal: PtyTerminal;
  readonly #group: ProcessGroup;
  readonly #tail: StderrTail;
  readonly #onDidExit = new Emitter<ExitStatus>();
  readonly #connection: SocketConnection;
  #exitStatus: ExitStatus | undefined;
  readonly #exited: Promise<void>;
  #resolveExited: () => void = () => {};
  #disposed = false;

  constructor(name: string, pty: PtyProcess, socket: SocketDir, options: ResolvedPtyRunnerOptions) {
    this.#name = name;
    this.pid = pty.pid;
    // forkpty makes the child a session leader, hence the leader of a process group with its pid. The broker
    // that spawned it is in a session of its own: signalling the group reaches the plugin's processes only.
    this.#group = new ProcessGroup(pty.pid, process.platform !== 'win32');
    this.#tail = new StderrTail(options.stderrTailLines);
    const lines = new LineSplitter(options.maxLineBytes, (line) => {
      const text = terminalLineText(line);
      if (text.trim() !== '') this.#tail.push(text);
    });
    this.#terminal = new PtyTerminal(pty, {
      size: options.terminalSize,
      backlogBytes: options.terminalBacklogBytes,
      tap: (chunk) => lines.push(chunk),
    });
    this.#exited = new Promise((resolve) => (this.#resolveExited = resolve));

    this.#connection = new SocketConnection(socket, () => this.#disposed || this.#group.exited);

    pty.onExit(({ exitCode, signal }) => {
      // First, before anything can signal the group again: its leader is gone (pid reuse), and what is left
      // of the group is killed.
      this.#group.markExited();
      const status = ptyExitStatus(exitCode, signal);
      lines.end();
      this.#terminal.exited(status);
      this.#exitStatus = status;
      this.#connection.fail(
        () => new PluginExitedError(this.#exitMessage(status), status, this.#tail.lines()),
      );
      this.#onDidExit.fire(status);
      this.#onDidExit.dispose();
      this.#resolveExited();
    });
  }

  get terminal(): TerminalHandle {
    return this.#terminal;
  }

  get onDidExit(): Event<ExitStatus> {
    return this.#onDidExit.event;
  }

  get onDidWriteLine(): Event<OutputLine> {
    return noOutputLines;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  connection(): Promise<Transport> {
    return this.#connection.transport;
  }

  /** The last lines the terminal showed (stdout and stderr together), as text, oldest first. */
  stderrTail(): string[] {
    return this.#tail.lines();
  }

  signal(signal: NodeJS.Signals): void {
    this.#group.signal(signal);
  }

  terminate(graceMs: number): Promise<void> {
    return terminateProcessGroup(this.#group, this.#exited, checkGraceMs(graceMs));
  }

  /**
   * SIGKILLs the process group, closes the socket and the transport. The terminal is left to its viewer:
   * it still delivers the last output and `onDidExit` when the process is gone.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#group.signal('SIGKILL');
    this.#connection.close(
      () => new ConnectionClosedError(`Plugin "${this.#name}" was disposed before it connected to the host.`),
    );
  }

  #exitMessage(status: ExitStatus): string {
    const tail = this.#tail.lines();
    const output =
      tail.length === 0
        ? 'Its terminal showed nothing.'
        : `The last lines of its terminal:\n${tail.map((line) => `  ${line}`).join('\n')}`;
    return (
      `Plugin "${this.#name}" ${describeExit(status)} before it connected to the host. ${output}\n` +
      'Fix the error it reports, or run its entry by hand in a terminal to see why it stops.'
    );
  }
}
