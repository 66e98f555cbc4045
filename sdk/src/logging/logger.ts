// The SDK logger: `log.info(message, fields)`, scopes, levels; records go to the current sink.
import type { Disposable } from '../common/disposable.js';
import { capText, toLogRecordError } from './log-batch.js';
import type { LogLevel, LogRecord } from './log-record.js';

/** Where records go. While a plugin is served, its `tether.logs` channel; otherwise stderr. */
export type LogSink = (record: LogRecord) => void;

/** Fields given with a message. An `error` field holding an Error becomes the record's error. */
export type LogFields = Readonly<Record<string, unknown>>;

/** One level's method of a {@link Logger}: a message with fields, or an error. */
export type LogMethod = {
  /** Logs `message` with optional structured `fields` (`{ error }` attaches an error with its stack). */
  (message: string, fields?: LogFields): void;
  /** Logs an error: its message becomes the record's message and the error (name, message, stack, code) is attached. */
  (error: Error, fields?: LogFields): void;
};

/**
 * A logger of one scope. `log.scope('db')` makes a child whose records have scope `db`;
 * `log.scope('db').scope('pool')` has scope `db.pool`. The root logger's scope is `""`.
 */
export interface Logger {
  /** The scope of this logger's records. */
  readonly name: string;
  readonly trace: LogMethod;
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  /** A child logger whose scope is this one's plus `.name` (or `name` for the root logger). */
  scope(name: string): Logger;
}

/** Formats a record as one readable stderr line: `[INFO] scope: message {"fields"}` then the stack, if any. */
export function formatLogLine(record: LogRecord): string {
  let line = `[${record.level.toUpperCase()}] ${record.scope === '' ? '' : `${record.scope}: `}${capText(record.message)}`;
  if (record.fields !== undefined) {
    let json: string;
    try {
      json = JSON.stringify(record.fields, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      );
    } catch {
      json = '{…unserialisable fields}';
    }
    line += ` ${capText(json)}`;
  }
  if (record.error?.stack !== undefined) line += `\n${record.error.stack}`;
  else if (record.error !== undefined) line += ` (${record.error.name}: ${record.error.message})`;
  return `${line}\n`;
}

/** The sink used when no plugin connection is there: readable lines on stderr, so nothing is lost. */
export const stderrSink: LogSink = (record) => {
  process.stderr.write(formatLogLine(record));
};

const sinks: LogSink[] = [];

/**
 * Sends the records of every logger without its own sink (such as {@link log}) to `sink` until the
 * returned disposable is disposed; then the previous sink (or stderr) takes over again.
 */
export function setLogSink(sink: LogSink): Disposable {
  sinks.push(sink);
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      const index = sinks.lastIndexOf(sink);
      if (index >= 0) sinks.splice(index, 1);
    },
  };
}

function currentSink(): LogSink {
  return sinks[sinks.length - 1] ?? stderrSink;
}

/** Makes a log record (without sending it anywhere). */
export function makeLogRecord(
  level: LogLevel,
  scope: string,
  messageOrError: unknown,
  fields?: LogFields,
): LogRecord {
  let message: string;
  let error: LogRecord['error'];
  if (messageOrError instanceof Error) {
    message = messageOrError.message;
    error = toLogRecordError(messageOrError);
  } else {
    message = typeof messageOrError === 'string' ? messageOrError : String(messageOrError);
  }
  let rest: LogFields | undefined = fields;
  if (fields !== undefined && 'error' in fields && fields.error instanceof Error && error === undefined) {
    error = toLogRecordError(fields.error);
    const { error: _attached, ...others } = fields;
    rest = Object.keys(others).length === 0 ? undefined : others;
  }
  return {
    time: Date.now(),
    level,
    scope,
    message,
    ...(rest === undefined ? {} : { fields: rest }),
    ...(error === undefined ? {} : { error }),
  };
}

/**
 * Makes a logger of `scope`. Its records go to `sink` when given, otherwise to the current sink (the
 * plugin's connection while it is served, stderr before and after).
 */
export function createLogger(scope = '', sink?: LogSink): Logger {
  const emit =
    (level: LogLevel): LogMethod =>
    (messageOrError: string | Error, fields?: LogFields): void => {
      let record: LogRecord;
      try {
        record = makeLogRecord(level, scope, messageOrError, fields);
      } catch (error) {
        // A getter that throws, a hostile object: logging never throws at the caller.
        record = makeLogRecord(level, scope, `(could not make a log record: ${String(error)})`);
      }
      (sink ?? currentSink())(record);
    };
  return {
    name: scope,
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    scope: (name) => createLogger(scope === '' ? name : `${scope}.${name}`, sink),
  };
}

/** The plugin's root logger. While the plugin is served its records go to the host; otherwise to stderr. */
export const log: Logger = createLogger();
