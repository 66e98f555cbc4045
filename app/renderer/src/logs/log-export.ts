// Export of the Logs panel: the records shown (filter applied), one JSON object a line (NDJSON), as a
// download made in the page (a Blob; nothing goes back to the host).
import { jsonReplacer, type LogEntry } from './log-buffer.js';

/** The NDJSON text of `entries` (crash lines included, marked `"crash": true`). */
export function toNdjson(entries: Iterable<LogEntry>): string {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.kind === 'crash') {
      lines.push(
        JSON.stringify({ crash: true, extension: entry.extension, time: entry.time, message: entry.message }),
      );
    } else {
      let line: string;
      try {
        line = JSON.stringify(entry.record, jsonReplacer);
      } catch {
        line = JSON.stringify({ ...entry.record, fields: '[unserialisable]' });
      }
      lines.push(line);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Starts the download of `entries` as `tether-logs-<time>.ndjson`. */
export function exportRecords(entries: Iterable<LogEntry>): void {
  const blob = new Blob([toNdjson(entries)], { type: 'application/x-ndjson' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `tether-logs-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the blob by now.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
