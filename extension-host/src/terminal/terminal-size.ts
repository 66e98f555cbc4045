import { TetherError, type TetherErrorCode } from '@tether/sdk';
import { MAX_TERMINAL_CELLS } from '../constants.js';
import type { TerminalSize } from './terminal-handle.js';

/**
 * Checks a terminal size: `cols` and `rows` whole numbers from 1 to {@link MAX_TERMINAL_CELLS}. Returns a
 * fresh `{ cols, rows }`; throws `TetherError(code)` naming the bad value (INVALID_ARGUMENT for a call,
 * INVALID_OPTIONS for an option).
 */
export function checkTerminalSize(
  size: TerminalSize,
  code: Extract<TetherErrorCode, 'INVALID_ARGUMENT' | 'INVALID_OPTIONS'>,
  what = 'The terminal size',
): TerminalSize {
  const { cols, rows } = (size ?? {}) as Partial<TerminalSize>;
  for (const [name, value] of [
    ['cols', cols],
    ['rows', rows],
  ] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TERMINAL_CELLS) {
      throw new TetherError(
        code,
        `${what} must have whole-number cols and rows from 1 to ${MAX_TERMINAL_CELLS}; got ${name} = ${String(value)}. ` +
          'Pass the size of the view in character cells (e.g. { cols: 80, rows: 24 }).',
      );
    }
  }
  return { cols: cols!, rows: rows! };
}
