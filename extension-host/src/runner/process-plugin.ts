import { ConnectionClosedError, Emitter, type Event } from '@tether/sdk';
import type { Transport } from '@tether/sdk/wire';
import type { ContainmentLevel } from '../process/containment.js';
import { terminateProcessGroup, type ExitStatus, type ProcessGroup } from '../process/process-group.js';
import type { SocketDir } from '../process/socket-dir.js';
import { StderrTail } from '../process/stderr-tail.js';
import { PluginExitedError, describeExit } from './plugin-exited-error.js';
import type { LaunchedPlugin, OutputLine } from './runner.js';
import { checkGraceMs } from './runner-options.js';
import { SocketConnection } from './socket-connection.js';

/** How a launched process's last output is named in its exit error ("stderr", "its terminal"). */
export interface ExitWording {
  /** When there is no output at all. */
  readonly none: string;
  /** Heads the last lines. */
  readonly lastLines: string;
  /** What to do next. */
  readonly advice: string;
}

/**
 * What every runner that spawns a process with a private socket shares (node, executable, pty): the pid,
 * the process group it leads, the accept-once socket connection, the tail of its output, the exit event and
 * the stop paths. A subclass reads the process's output (`tail`) and calls {@link finishExit} once the
 * process has exited and its output was read.
 */
export abstract class ProcessPlugin implements LaunchedPlugin {
  readonly pid: number;
  protected readonly name: string;
  protected readonly group: ProcessGroup;
  protected readonly tail: StderrTail;
  readonly #connection: SocketConnection;
  readonly #wording: ExitWording;
  readonly #onDidExit = new Emitter<ExitStatus>();
  readonly #exited: Promise<void>;
  #resolveExited: () => void = () => {};
  #exitStatus: ExitStatus | undefined;
  #disposed = false;

  protected constructor(
    name: string,
    group: ProcessGroup,
    socket: SocketDir,
    tailLines: number,
    wording: ExitWording,
  ) {
    this.name = name;
    this.pid = group.pid;
    this.group = group;
    this.tail = new StderrTail(tailLines);
    this.#wording = wording;
    this.#exited = new Promise((resolve) => (this.#resolveExited = resolve));
    this.#connection = new SocketConnection(socket, () => this.#disposed || group.exited);
  }

  abstract readonly onDidWriteLine: Event<OutputLine>;

  get onDidExit(): Event<ExitStatus> {
    return this.#onDidExit.event;
  }

  get exitStatus(): ExitStatus | undefined {
    return this.#exitStatus;
  }

  get containment(): ContainmentLevel {
    return this.group.containment;
  }

  connection(): Promise<Transport> {
    return this.#connection.transport;
  }

  nextConnection(): Promise<Transport> {
    return this.#connection.next();
  }

  acceptConnection(): void {
    this.#connection.confirm();
  }

  stderrTail(): string[] {
    return this.tail.lines();
  }

  signal(signal: NodeJS.Signals): void {
    this.group.signal(signal);
  }

  terminate(graceMs: number): Promise<void> {
    return terminateProcessGroup(this.group, this.#exited, checkGraceMs(graceMs));
  }

  /** SIGKILLs the process group, closes the socket and the connection. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.group.signal('SIGKILL');
    this.#connection.close(
      () => new ConnectionClosedError(`Plugin "${this.name}" was disposed before it connected to the host.`),
    );
    this.disposed();
  }

  /** What the subclass lets go of on `dispose()` (after the group was killed). */
  protected disposed(): void {}

  /**
   * The process has exited and its output was read: a connection still awaited fails with PLUGIN_EXITED
   * (its exit and last lines), then `onDidExit` fires. Once.
   */
  protected finishExit(status: ExitStatus): void {
    if (this.#exitStatus !== undefined) return;
    this.#exitStatus = status;
    this.#connection.fail(() => new PluginExitedError(this.#exitMessage(status), status, this.tail.lines()));
    this.#onDidExit.fire(status);
    this.#onDidExit.dispose();
    this.#resolveExited();
  }

  #exitMessage(status: ExitStatus): string {
    const lines = this.tail.lines();
    const wording = this.#wording;
    const output =
      lines.length === 0
        ? wording.none
        : `${wording.lastLines}:\n${lines.map((line) => `  ${line}`).join('\n')}`;
    return (
      `Plugin "${this.name}" ${describeExit(status)} before it connected to the host. ${output}\n` +
      wording.advice
    );
  }
}
