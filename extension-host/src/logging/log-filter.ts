import { logLevelRank, type HostLogRecord, type LogLevel } from './log-record.js';

/** Which records a query or a subscription wants. Every field is optional; all given ones must match. */
export interface LogFilter {
  readonly extension?: string | undefined;
  /** Lowest level kept (`warn` keeps warn and error). */
  readonly minLevel?: LogLevel | undefined;
  readonly scope?: string | undefined;
  /** Case-insensitive text looked for in the message, the scope, the error and the fields. */
  readonly text?: string | undefined;
  /** Earliest `time` kept (ms since the epoch, inclusive). */
  readonly since?: number | undefined;
  /** Latest `time` kept (ms since the epoch, inclusive). */
  readonly until?: number | undefined;
}

/**
 * Compiles a filter into a predicate. The level is checked first, then the cheap fields; the text search
 * (which may stringify fields) comes last, so filtered-out records cost next to nothing.
 */
export function compileLogFilter(filter: LogFilter): (record: HostLogRecord) => boolean {
  const minRank = filter.minLevel === undefined ? 0 : logLevelRank[filter.minLevel];
  const { extension, scope, since, until } = filter;
  const needle = filter.text === undefined || filter.text === '' ? undefined : filter.text.toLowerCase();
  return (record) => {
    if (logLevelRank[record.level] < minRank) return false;
    if (extension !== undefined && record.extension !== extension) return false;
    if (scope !== undefined && record.scope !== scope) return false;
    if (since !== undefined && record.time < since) return false;
    if (until !== undefined && record.time > until) return false;
    return needle === undefined || recordContains(record, needle);
  };
}

function recordContains(record: HostLogRecord, needle: string): boolean {
  if (record.message.toLowerCase().includes(needle)) return true;
  if (record.scope.toLowerCase().includes(needle)) return true;
  if (record.error !== undefined) {
    const { name, message, stack = '' } = record.error;
    if (`${name}: ${message}\n${stack}`.toLowerCase().includes(needle)) return true;
  }
  return record.fields !== undefined && safeStringify(record.fields).toLowerCase().includes(needle);
}

/** JSON of any codec value (bigint, Map, Set, bytes) for display and search; never throws. */
export function safeStringify(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return `${v}n`;
        if (v instanceof Map) return Object.fromEntries(v as Map<unknown, unknown>) as unknown;
        if (v instanceof Set) return [...(v as Set<unknown>)];
        if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
        if (v instanceof Error) return `${v.name}: ${v.message}`;
        return v;
      }) ?? ''
    );
  } catch {
    return '[unserialisable]';
  }
}
