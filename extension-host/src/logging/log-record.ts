// The host's view of log records. The record shape and the levels are the SDK's (docs/protocol.md §5.4).
import { logLevelRank, type LogLevel, type LogRecord } from '@tether/sdk';

export { logLevels, logLevelRank, type LogLevel, type LogRecord } from '@tether/sdk';

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
