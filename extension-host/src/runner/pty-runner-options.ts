import { TetherError } from '@tether/sdk';
import {
  DEFAULT_TERMINAL_BACKLOG_BYTES,
  DEFAULT_TERMINAL_COLS,
  DEFAULT_TERMINAL_ROWS,
} from '../constants.js';
import type { NodeCommandSource } from '../process/node-command.js';
import type { TerminalSize } from '../terminal/terminal-handle.js';
import { checkTerminalSize } from '../terminal/terminal-size.js';
import { resolveRunnerOptions, type ResolvedRunnerOptions, type RunnerOptions } from './runner-options.js';

/**
 * Options of the pty runner: those of every process runner, plus the terminal's. Of the common ones,
 * `output` (the `[name] line` mirror) is not used: a pty plugin's output belongs to its terminal, not to the
 * host's stderr. `maxLineBytes` and `stderrTailLines` shape its crash-report tail.
 */
export interface PtyRunnerOptions extends RunnerOptions {
  /** The terminal's size at start (default 80×24); a CLI passes its own window's size. */
  readonly terminalSize?: TerminalSize | undefined;
  /** Bytes of terminal output kept for late viewers (default {@link DEFAULT_TERMINAL_BACKLOG_BYTES}). */
  readonly terminalBacklogBytes?: number | undefined;
  /**
   * The Node that runs the plugin and its pty broker, or a function that finds one at each start
   * (default: the host's own, `process.execPath`, as Node under Electron). An Electron app built with the
   * RunAsNode fuse off passes `nodeFromPath` (docs/packaging.md).
   */
  readonly node?: NodeCommandSource | undefined;
}

export interface ResolvedPtyRunnerOptions extends ResolvedRunnerOptions {
  readonly terminalSize: TerminalSize;
  readonly terminalBacklogBytes: number;
  readonly node: NodeCommandSource | undefined;
}

/** Applies defaults and checks ranges; throws `TetherError('INVALID_OPTIONS')` naming the bad field. */
export function resolvePtyRunnerOptions(options: PtyRunnerOptions = {}): ResolvedPtyRunnerOptions {
  const backlog = options.terminalBacklogBytes ?? DEFAULT_TERMINAL_BACKLOG_BYTES;
  if (!Number.isSafeInteger(backlog) || backlog < 0) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Runner option terminalBacklogBytes must be an integer of at least 0, got ${backlog}.`,
    );
  }
  return {
    ...resolveRunnerOptions(options),
    terminalSize: checkTerminalSize(
      options.terminalSize ?? { cols: DEFAULT_TERMINAL_COLS, rows: DEFAULT_TERMINAL_ROWS },
      'INVALID_OPTIONS',
      'Runner option terminalSize',
    ),
    terminalBacklogBytes: backlog,
    node: options.node,
  };
}
