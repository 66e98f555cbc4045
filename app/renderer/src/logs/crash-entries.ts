// Log records as the Logs panel's entries. The host adds a record where an extension crashed (scope
// CRASH_LOG_SCOPE, after its last records, with the reason); the panel shows it as a crash line and marks the
// records of that extension just before it — in the history as well as live, so a crash that happened before
// the page was opened is marked too.
import { CRASH_LOG_SCOPE } from '@tether/extension-host/manager-api';
import type { ExtensionError, HostLogRecord } from '../connection/host-types.js';
import { recordEntry, type CrashEntry, type LogEntry, type RecordEntry } from './log-buffer.js';

export interface LogEntries {
  readonly entries: LogEntry[];
  /**
   * Per extension that crashed in these records: how many of its last records before the crash were not
   * among them (they are already in the panel, if anywhere: mark that many there).
   */
  readonly unmarked: Map<string, number>;
}

/** `records` (oldest first) as entries, crash records as crash lines with up to `tail` records marked. */
export function toLogEntries(records: readonly HostLogRecord[], tail: number): LogEntries {
  const entries: LogEntry[] = [];
  const unmarked = new Map<string, number>();
  /** Per extension, its latest record entries in these records (at most `tail`). */
  const recent = new Map<string, RecordEntry[]>();
  for (const record of records) {
    if (record.scope === CRASH_LOG_SCOPE) {
      const before = recent.get(record.extension) ?? [];
      for (const entry of before) entry.crashTail = true;
      if (before.length < tail) unmarked.set(record.extension, tail - before.length);
      recent.delete(record.extension);
      entries.push(crashEntry(record));
      continue;
    }
    const entry = recordEntry(record);
    entries.push(entry);
    const list = recent.get(record.extension);
    if (list === undefined) recent.set(record.extension, [entry]);
    else {
      list.push(entry);
      if (list.length > tail) list.shift();
    }
  }
  return { entries, unmarked };
}

/** The crash line of a crash record: its message, and the reason as an ExtensionError from its fields. */
export function crashEntry(record: HostLogRecord): CrashEntry {
  const fields = record.fields ?? {};
  const code = typeof fields['code'] === 'string' ? fields['code'] : 'PLUGIN_EXITED';
  const exitCode = typeof fields['exitCode'] === 'number' ? fields['exitCode'] : null;
  const signal = typeof fields['signal'] === 'string' ? fields['signal'] : null;
  const stderrTail = Array.isArray(fields['stderrTail'])
    ? fields['stderrTail'].filter((line): line is string => typeof line === 'string')
    : [];
  const error: ExtensionError = {
    code,
    message: record.message,
    time: record.time,
    exitCode,
    signal,
    stderrTail,
  };
  return {
    kind: 'crash',
    extension: record.extension,
    time: record.time,
    seq: record.seq,
    message: `${record.extension} ${record.message}`,
    error,
    position: 0,
  };
}
