import { constants } from 'node:os';
import type { Event } from '@tether/sdk';
import { containPlugin } from '../process/containment.js';
import { LineSplitter } from '../process/line-splitter.js';
import { ProcessGroup, type ExitStatus } from '../process/process-group.js';
import type { SocketDir } from '../process/socket-dir.js';
import type { PtyProcess } from '../terminal/pty-process.js';
import { PtyTerminal } from '../terminal/pty-terminal.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import { terminalLineText } from '../terminal/terminal-text.js';
import { ProcessPlugin } from './process-plugin.js';
import type { LaunchedTerminalPlugin } from './pty-runner.js';
import type { ResolvedPtyRunnerOptions } from './pty-runner-options.js';
import type { OutputLine } from './runner.js';

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
 * output was read. `stderrTail()` is the last lines the terminal showed (stdout and stderr together).
 */
export class PtyPlugin extends ProcessPlugin implements LaunchedTerminalPlugin {
  readonly #terminal: PtyTerminal;
  /** A pty plugin has no output lines apart from its terminal (see `PtyRunner`): this never fires. */
  readonly onDidWriteLine: Event<OutputLine> = noOutputLines;

  constructor(name: string, pty: PtyProcess, socket: SocketDir, options: ResolvedPtyRunnerOptions) {
    // forkpty makes the child a session leader, hence the leader of a process group with its pid. The broker
    // that spawned it is in a session of its own: signalling the group reaches the plugin's processes only.
    // Its cgroup can only be joined once the broker reports it, a pipe hop after it started.
    const useGroup = process.platform !== 'win32';
    const group = new ProcessGroup(pty.pid, useGroup, containPlugin(pty.pid, useGroup, options.containment));
    super(name, group, socket, options.stderrTailLines, {
      none: 'Its terminal showed nothing.',
      lastLines: 'The last lines of its terminal',
      advice: 'Fix the error it reports, or run its entry by hand in a terminal to see why it stops.',
    });
    const lines = new LineSplitter(options.maxLineBytes, (line) => {
      const text = terminalLineText(line);
      if (text.trim() !== '') this.tail.push(text);
    });
    this.#terminal = new PtyTerminal(pty, {
      size: options.terminalSize,
      backlogBytes: options.terminalBacklogBytes,
      tap: (chunk) => lines.push(chunk),
    });

    pty.onExit(({ exitCode, signal }) => {
      // First, before anything can signal the group again: its leader is gone (pid reuse), and what is left
      // of the group is killed.
      this.group.markExited();
      const status = ptyExitStatus(exitCode, signal);
      lines.end();
      this.#terminal.exited(status);
      this.finishExit(status);
    });
  }

  get terminal(): TerminalHandle {
    return this.#terminal;
  }
}
