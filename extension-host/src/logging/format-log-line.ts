import { safeStringify } from './log-filter.js';
import { isLogLevel, type HostLogRecord, type LogLevel } from './log-record.js';

/**
 * One record as a log file line: `ISO-time LEVEL [scope] message {fields}` (no `[scope]` for the root scope), then the error's stack (or
 * `name: message`) on the following lines, indented. Lines that do not start with a time continue the
 * record above them (`parseLogFileLevel` reads them back).
 */
export function formatLogLine(
  record: Pick<HostLogRecord, 'time' | 'level' | 'scope' | 'message' | 'fields' | 'error'>,
): string {
  // The root logger's scope is '': no `[]` then.
  const scope = record.scope === '' ? '' : `[${record.scope}] `;
  let line = `${new Date(record.time).toISOString()} ${record.level.toUpperCase().padEnd(5)} ${scope}${record.message}`;
  if (record.fields !== undefined && Object.keys(record.fields).length > 0)
    line += ` ${safeStringify(record.fields)}`;
  if (record.error !== undefined) {
    const { name, message, stack } = record.error;
    const text =
      stack !== undefined && stack.includes(message)
        ? stack
        : `${name}: ${message}${stack === undefined ? '' : `\n${stack}`}`;
    line += `\n${text.replace(/^/gm, '    ')}`;
  }
  return line.replace(/\r?\n(?! {4})/g, '\n    ');
}

const lineStart = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) /;

/** The level of a log file line that starts a record, or undefined for a continuation line. */
export function parseLogFileLevel(line: string): LogLevel | undefined {
  const match = lineStart.exec(line);
  if (match === null) return undefined;
  const level = match[1]!.trim().toLowerCase();
  return isLogLevel(level) ? level : undefined;
}

/** The log file name of an extension: its name with anything but letters, digits, `.`, `_`, `-` replaced. */
export function logFileName(extension: string): string {
  const safe = extension.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `${safe === '' ? '_' : safe}.log`;
}

/** Where a log file is rotated to: `kv.log` → `kv.old.log` (electron-log's and FileLogSink's rotation). */
export function oldLogFile(file: string): string {
  return file.replace(/\.log$/, '.old.log');
}
