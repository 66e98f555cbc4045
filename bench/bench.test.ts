// `bench/run.ts --quick` produces a complete, well-formed result. Never checks the numbers themselves.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_EXEC_ARGV, WORKLOADS } from './harness.js';
import type { BenchReport } from './report.js';

const runFile = fileURLToPath(new URL('./run.ts', import.meta.url));
let outDir: string | undefined;

afterAll(async () => {
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

describe('bench/run.ts --quick', () => {
  it('writes a result with a number or an explicit unsupported reason for every approach × workload', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'tether-bench-test-'));
    await promisify(execFile)(process.execPath, [...CHILD_EXEC_ARGV, runFile, '--quick', '--out', outDir], {
      timeout: 18_000,
    });
    const report = JSON.parse(await readFile(join(outDir, 'quick.json'), 'utf8')) as BenchReport;
    const markdown = await readFile(join(outDir, 'quick.md'), 'utf8');

    expect(report.mode).toBe('quick');
    for (const key of ['cpu', 'cores', 'node', 'date', 'pinning']) expect(report.machine[key]).toBeTruthy();
    expect(report.approaches.map((a) => a.id)).toEqual(expect.arrayContaining(['tether', 'raw-unix']));
    expect(report.approaches.some((a) => a.kind === 'peer')).toBe(true);
    expect(report.placements.length).toBeGreaterThan(0);
    for (const placement of report.placements) {
      expect(markdown).toContain(`## ${placement}`);
      for (const approach of report.approaches) {
        for (const workload of WORKLOADS) {
          const cell = report.results[placement]?.[approach.id]?.[workload.id];
          expect(cell, `${placement} ${approach.id} ${workload.id}`).toBeDefined();
          if (cell !== undefined && 'unsupported' in cell) expect(cell.unsupported.length).toBeGreaterThan(0);
          else {
            expect(Number.isFinite(cell?.median)).toBe(true);
            expect(cell?.median).toBeGreaterThan(0);
            expect(cell?.runs).toHaveLength(report.runs);
          }
        }
      }
      expect(report.ratios[placement]?.inFlight64?.vsFloor).toBeGreaterThan(0);
    }
    // Tether supports every workload; every target has a value.
    for (const workload of WORKLOADS)
      expect('median' in report.results[report.placements[0]!]!.tether![workload.id]!).toBe(true);
    expect(report.targets.length).toBe(5 * report.placements.length);
  });
});
