import { describe, expect, it } from 'vitest';
import { methodStats, percentile } from './method-stats.js';
import type { TraceCall } from './trace-call.js';

const call = (method: string, durationMs: number, error?: string): TraceCall => ({
  seq: 0,
  extension: 'alpha',
  direction: 'outgoing',
  service: 'probe',
  method,
  time: 0,
  durationMs,
  bytesOut: 10,
  bytesIn: 5,
  bytes: 15,
  error,
});

describe('methodStats', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('counts calls, errors and bytes per method, busiest first', () => {
    const rows = methodStats([call('echo', 3), call('echo', 1), call('echo', 2, 'TIMEOUT'), call('pid', 9)]);
    expect(rows.map((r) => [r.method, r.count, r.p50, r.p99, r.errors, r.bytesOut, r.bytesIn])).toEqual([
      ['probe.echo', 3, 2, 3, 1, 30, 15],
      ['probe.pid', 1, 9, 9, 0, 10, 5],
    ]);
  });
});
