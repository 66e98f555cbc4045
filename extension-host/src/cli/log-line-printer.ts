import { parseLogFileLevel } from '../logging/format-log-line.js';
import { logLevelRank, type LogLevel } from '../logging/log-record.js';
import type { Output } from './run-command.js';

const colours: Readonly<Record<LogLevel, string>> = {
  trace: '\u001b[90m',
  debug: '\u001b[36m',
  info: '\u001b[32m',
  warn: '\u001b[33m',
  error: '\u001b[31m',
};
const reset = '\u001b[0m';

/**
 * Prints log file lines (`formatLogLine`'s format) in batches, keeping records at `level` and above with their
 * continuation lines, coloured by level when `colour` is set. Call `end()` to write what is pending.
 */
export class LogLinePrinter {
  readonly #out: Output;
  readonly #minRank: number;
  readonly #colour: boolean;
  #current: LogLevel | undefined;
  #pending: string[] = [];

  constructor(out: Output, level: LogLevel | undefined, colour: boolean) {
    this.#out = out;
    this.#minRank = level === undefined ? 0 : logLevelRank[level];
    this.#colour = colour;
  }

  line(line: string): void {
    const level = parseLogFileLevel(line);
    if (level !== undefined) this.#current = level;
    const current = this.#current;
    if (current !== undefined && logLevelRank[current] < this.#minRank) return;
    this.#pending.push(
      this.#colour && current !== undefined ? colourise(line, current, level !== undefined) : line,
    );
    if (this.#pending.length >= 256) this.end();
  }

  /** Writes what is pending. */
  end(): void {
    if (this.#pending.length === 0) return;
    this.#out.write(`${this.#pending.join('\n')}\n`);
    this.#pending = [];
  }
}

function colourise(line: string, level: LogLevel, starts: boolean): string {
  if (!starts) return level === 'error' ? `${colours.error}${line}${reset}` : line;
  // `2024-05-01T10:00:00.000Z LEVEL …`: dim the time, colour the level (and the whole line for errors).
  const time = line.slice(0, 24);
  const levelText = line.slice(25, 30);
  const rest = line.slice(30);
  const body = level === 'error' ? `${colours.error}${rest}${reset}` : rest;
  return `\u001b[2m${time}${reset} ${colours[level]}${levelText}${reset}${body}`;
}
