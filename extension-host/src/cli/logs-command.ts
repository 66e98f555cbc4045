import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { logFileName, parseLogFileLevel } from '../logging/format-log-line.js';
import { logLevelRank, type LogLevel } from '../logging/log-record.js';
import type { Output } from './run-command.js';

export interface LogsCommandInput {
  readonly extension: string;
  readonly follow: boolean;
  readonly level?: LogLevel;
  readonly logDir?: string;
}

export interface LogsIo {
  readonly stdout: Output & { readonly isTTY?: boolean };
  readonly stderr: Output;
  /** Ends `--follow` (default: SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** How often `--follow` looks for new lines (ms). */
  readonly pollMs?: number;
}

const colours: Readonly<Record<LogLevel, string>> = {
  trace: '\u001b[90m',
  debug: '\u001b[36m',
  info: '\u001b[32m',
  warn: '\u001b[33m',
  error: '\u001b[31m',
};
const reset = '\u001b[0m';

/**
 * `tether logs <extension>`: prints the extension's log file (the rotated `.old.log` first), keeping records
 * at `level` and above (their continuation lines with them), coloured by level when stdout is a terminal.
 * With `follow`, keeps printing appended lines (across rotations) until SIGINT.
 */
export async function logsCommand(input: LogsCommandInput, io: LogsIo): Promise<number> {
  const dir = input.logDir === undefined ? defaultLogDir() : path.resolve(input.logDir);
  const file = path.join(dir, logFileName(input.extension));
  const oldFile = file.replace(/\.log$/, '.old.log');
  const printer = new LinePrinter(io.stdout, input.level, io.stdout.isTTY === true);
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists && !input.follow) {
    io.stderr.write(
      `tether: no logs for "${input.extension}" in ${dir} (looked for ${path.basename(file)}). Start it with "tether run" first, or pass --log-dir (or set TETHER_LOG_DIR) to where its logs are.\n`,
    );
    return 1;
  }
  let offset = 0;
  if (exists) {
    await readFrom(oldFile, 0, printer);
    offset = await readFrom(file, 0, printer);
    printer.end();
  }
  if (!input.follow) return 0;

  const signal = io.signal ?? signalOnInterrupt();
  const pollMs = io.pollMs ?? 250;
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) continue;
    if (size < offset) offset = 0; // rotated: the new file starts from the beginning
    if (size > offset) offset = await readFrom(file, offset, printer);
    printer.end();
  }
  printer.end();
  return 0;
}

/** Prints the whole lines of `file` from byte `offset`; returns the offset after the last whole line. */
async function readFrom(file: string, offset: number, printer: LinePrinter): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return offset;
  }
  try {
    const buffer = Buffer.alloc(256 * 1024);
    let position = offset;
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      // Cut at the last newline so a multi-byte character or a line being written is not split.
      const chunk = buffer.subarray(0, bytesRead);
      const lastNewline = chunk.lastIndexOf(0x0a);
      if (lastNewline === -1) {
        if (bytesRead < buffer.length) break; // an unfinished line: read it when it is complete
        carry += chunk.toString('utf8');
        position += bytesRead;
        continue;
      }
      const text = carry + chunk.subarray(0, lastNewline).toString('utf8');
      carry = '';
      for (const line of text.split('\n')) printer.line(line);
      position += lastNewline + 1;
    }
    return position;
  } finally {
    await handle.close();
  }
}

class LinePrinter {
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

function signalOnInterrupt(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}
