import { isLogLevel, type LogLevel, type LogRecord } from './log-record.js';

/** One stdout/stderr line of a plugin (the runner's `OutputLine`). */
export interface OutputLineInput {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
  /** The line was longer than the cap and continues in the next piece from the same stream. */
  readonly truncated: boolean;
}

/** `[WARN] …` (any case; WARNING and FATAL too), optionally after a timestamp as hclog writes it. */
const levelPrefix = /^(?:\S*\d\S*\s+)?\[(trace|debug|info|warn|warning|error|fatal)\]\s?/i;
/** The first line of an uncaught exception or a fatal error. */
const crashStart =
  /^(?:Uncaught\s+)?(?:[A-Z][A-Za-z]*)?(?:Error|Exception)(?: \[[A-Z0-9_]+\])?: |^panic: |^FATAL\b|^fatal error: |^\[FATAL\]/;
/** Lines that continue a crash dump: stack frames, error properties, the `Node.js vX` footer. */
const crashContinuation =
  /^\s+at |^\s+\.\.\. \d+ more|^\s+\w+: |^\s*[{}]\s*$|^Node\.js v\d|^goroutine \d+ |^\s+\S+\.go:\d+|^\s*\^+\s*$|^\[cause\]: /;
/** `"level":"warn"` near the start of a JSON line: read without parsing the whole line. */
const jsonLevel = /"@?level"\s*:\s*(?:"([A-Za-z]+)"|(\d+))/;

/**
 * Turns a plugin's stdout/stderr lines into log records (docs/protocol.md §5.4): a `[LEVEL]` prefix sets the
 * level, a JSON object line with `level` and `msg`/`message` is read as a record, the lines of a crash dump
 * (an uncaught exception and its stack, a Go panic, FATAL) are errors, other lines are `info`. The level is
 * found first, cheaply; a line below `accepts` is dropped before any parsing (go-plugin #352). One parser
 * per plugin: it remembers whether a crash dump or an over-long line is in progress on each stream.
 */
export class OutputLineParser {
  readonly #accepts: (level: LogLevel) => boolean;
  readonly #inCrash = { stdout: false, stderr: false };
  /** Level of the over-long line in progress on each stream (null: dropped), undefined when none. */
  readonly #continuing: Record<'stdout' | 'stderr', LogLevel | null | undefined> = {
    stdout: undefined,
    stderr: undefined,
  };

  constructor(accepts: (level: LogLevel) => boolean = () => true) {
    this.#accepts = accepts;
  }

  /** The record for one line, or undefined when it is empty or below the level filter. */
  parse(input: OutputLineInput, time = Date.now()): LogRecord | undefined {
    const { stream, line, truncated } = input;
    const continuing = this.#continuing[stream];
    if (continuing !== undefined) {
      // A further piece of an over-long line: same level as its first piece, never parsed.
      this.#continuing[stream] = truncated ? continuing : undefined;
      return continuing === null
        ? undefined
        : { time, level: continuing, scope: stream, message: line, fields: { continued: true } };
    }
    const record = this.#parseLine(stream, line, time);
    if (truncated) this.#continuing[stream] = record === undefined ? null : record.level;
    return record;
  }

  #parseLine(stream: 'stdout' | 'stderr', line: string, time: number): LogRecord | undefined {
    if (line.trim() === '') return undefined;
    const first = line.charCodeAt(0);
    if (this.#inCrash[stream]) {
      if (crashContinuation.test(line)) return { time, level: 'error', scope: stream, message: line };
      this.#inCrash[stream] = false;
    }
    if (first === 0x5b /* [ */ || (first >= 0x30 && first <= 0x39) /* a timestamp */) {
      const match = levelPrefix.exec(line);
      if (match !== null) {
        const level = normaliseLevel(match[1]!);
        if (level === 'error' && /fatal/i.test(match[1]!)) this.#inCrash[stream] = true;
        if (!this.#accepts(level)) return undefined;
        return { time, level, scope: stream, message: line.slice(match[0].length) };
      }
    }
    if (first === 0x7b /* { */ && line.endsWith('}')) {
      const record = this.#parseJson(stream, line, time);
      if (record !== 'not-a-record') return record;
    }
    if (crashStart.test(line)) {
      this.#inCrash[stream] = true;
      return { time, level: 'error', scope: stream, message: line };
    }
    return this.#accepts('info') ? { time, level: 'info', scope: stream, message: line } : undefined;
  }

  #parseJson(
    stream: 'stdout' | 'stderr',
    line: string,
    time: number,
  ): LogRecord | undefined | 'not-a-record' {
    const head = jsonLevel.exec(line.length > 4096 ? line.slice(0, 4096) : line);
    if (head === null) return 'not-a-record';
    const level = head[1] === undefined ? pinoLevel(Number(head[2])) : normaliseLevel(head[1]);
    if (!this.#accepts(level)) return undefined; // filtered before paying for JSON.parse
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return 'not-a-record';
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not-a-record';
    const {
      level: _level,
      '@level': _atLevel,
      msg,
      message,
      '@message': atMessage,
      time: t,
      timestamp,
      '@timestamp': atTimestamp,
      ...fields
    } = value as Record<string, unknown>;
    const text = [msg, message, atMessage].find((m): m is string => typeof m === 'string');
    if (text === undefined) return 'not-a-record';
    return {
      time: parseTime(t ?? timestamp ?? atTimestamp) ?? time,
      level,
      scope: stream,
      message: text,
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    };
  }
}

function normaliseLevel(name: string): LogLevel {
  const lower = name.toLowerCase();
  if (lower === 'warning') return 'warn';
  if (lower === 'fatal' || lower === 'err' || lower === 'panic') return 'error';
  return isLogLevel(lower) ? lower : 'info';
}

/** pino's numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function pinoLevel(n: number): LogLevel {
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  return 'trace';
}

function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}
