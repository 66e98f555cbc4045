/**
 * A structured log record, as a plugin produces it and as the host stores, filters and shows it.
 * Records cross the wire on the plugin's `tether.logs` channel (docs/protocol.md §5.4).
 */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error'] as const;

export type LogLevel = (typeof logLevels)[number];

/** Numeric order of the levels: a filter at `info` keeps info, warn and error. */
export const logLevelRank: Readonly<Record<LogLevel, number>> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
};

export interface LogRecord {
  /** Milliseconds since the epoch, when the record was made (the plugin's clock). */
  readonly time: number;
  readonly level: LogLevel;
  /** Where in the plugin it comes from: a logger scope ('db', 'http.client'), 'console', 'stdout' or 'stderr'. */
  readonly scope: string;
  readonly message: string;
  /** Structured fields given with the message (any codec value). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** An error attached to the record: name, message, stack (and code when it had one). */
  readonly error?: {
    readonly name: string;
    readonly message: string;
    readonly stack?: string;
    readonly code?: unknown;
  };
}
