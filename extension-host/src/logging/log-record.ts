// The host's view of log records. The record shape and the levels are the SDK's (docs/protocol.md §5.4).
import { logLevelRank, type LogLevel, type LogRecord } from '@tether/sdk/common';

export { logLevels, logLevelRank, type LogLevel, type LogRecord } from '@tether/sdk/common';

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(logLevelRank, value);
}

/** The error attached to a record. */
export type LogRecordError = NonNullable<LogRecord['error']>;

/** A record as the host stores it: with the extension it came from and its place in the store. */
export interface HostLogRecord extends LogRecord {
  readonly extension: string;
  /** Increases by one for every record the store keeps, across all extensions; the paging cursor. */
  readonly seq: number;
}

/** Scope of the records the host itself adds (suppressed counts, notes). */
export const HOST_LOG_SCOPE = 'tether';

/**
 * Scope of the record the manager adds when an extension's process crashes (or the manager gives up on it):
 * after its last records, with the reason in `message` and `fields` (`code`, `exitCode`, `signal`,
 * `stderrTail`), so a log view marks a crash in the history as well as live.
 */
export const CRASH_LOG_SCOPE = 'tether.crash';

/** The record that stands for `count` records dropped in a flood. */
export function suppressedRecord(count: number, time = Date.now()): LogRecord {
  return {
    time,
    level: 'warn',
    scope: HOST_LOG_SCOPE,
    message: `suppressed ${count} records`,
    fields: { suppressed: count },
  };
}
