// Per-method figures of the RPC inspector: how many calls, median and 99th-percentile duration, failures and
// bytes, for each direction + service.method.
import type { TraceCall } from './trace-call.js';

export interface MethodStats {
  /** `outgoing alpha probe.echo`: one row per direction, extension and method. */
  readonly key: string;
  readonly direction: TraceCall['direction'];
  readonly extension: string;
  readonly method: string;
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly bytesOut: number;
  readonly bytesIn: number;
}

/** The `p`-th percentile (0–100) of ascending `sorted` values, nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function methodStats(calls: Iterable<TraceCall>): MethodStats[] {
  const groups = new Map<
    string,
    { first: TraceCall; durations: number[]; errors: number; bytesOut: number; bytesIn: number }
  >();
  for (const call of calls) {
    const key = `${call.direction} ${call.extension} ${call.service}.${call.method}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { first: call, durations: [], errors: 0, bytesOut: 0, bytesIn: 0 };
      groups.set(key, group);
    }
    group.durations.push(call.durationMs);
    if (call.error !== undefined) group.errors++;
    group.bytesOut += call.bytesOut ?? 0;
    group.bytesIn += call.bytesIn ?? 0;
  }
  const rows: MethodStats[] = [];
  for (const [key, group] of groups) {
    const sorted = group.durations.sort((a, b) => a - b);
    rows.push({
      key,
      direction: group.first.direction,
      extension: group.first.extension,
      method: `${group.first.service}.${group.first.method}`,
      count: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      errors: group.errors,
      bytesOut: group.bytesOut,
      bytesIn: group.bytesIn,
    });
  }
  return rows.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
