// `bench/run.ts --quick` produces a complete, well-formed result. Never checks the numbers themselves.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHILD_EXEC_ARGV,
  CPU_COUNT,
  HOST_CPU,
  WORKLOADS,
  pin,
  pinningUnavailable,
  unpinSelf,
} from './harness.js';
import type { BenchReport } from './report.js';
import { LIFECYCLE_APPROACHES } from './lifecycle/approaches/index.js';
import { LIFECYCLE_METRICS } from './lifecycle/lifecycle-metrics.js';
import { QUICK_MANAGER } from './manager/manager-config.js';

const runFile = fileURLToPath(new URL('./run.ts', import.meta.url));
let outDir: string | undefined;

afterAll(async () => {
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

/** Workloads 6–7 (bench/lifecycle) in the same report: shape only, never the numbers. */
function checkLifecycle(result: BenchReport['lifecycle'], markdown: string): void {
  expect(result).toBeDefined();
  if (result === undefined) return;
  expect(result.mode).toBe('quick');
  expect(result.failures).toEqual([]);
  expect(result.approaches.map((a) => a.id)).toEqual(LIFECYCLE_APPROACHES.map((a) => a.id));
  expect(result.approaches.some((a) => a.kind === 'peer')).toBe(true);
  for (const approach of result.approaches) {
    for (const metric of LIFECYCLE_METRICS) {
      const cell = result.results[approach.id]?.[metric.id];
      expect(cell, `${approach.id} ${metric.id}`).toBeDefined();
      if (cell !== undefined && 'unsupported' in cell) {
        expect(cell.unsupported.length, `${approach.id} ${metric.id}`).toBeGreaterThan(0);
      } else {
        expect(Number.isFinite(cell?.median), `${approach.id} ${metric.id}`).toBe(true);
        expect(cell?.runs).toHaveLength(result.runs);
      }
    }
  }
  // Tether itself measures everything /proc allows: start, stop and both idle memory figures.
  for (const metric of ['startMs', 'stopMs', 'idleRssMB', 'groupRssMB', 'groupHostCpu'])
    expect('median' in result.results.tether![metric]!, metric).toBe(true);
  expect(Object.keys(result.phases.tether ?? {})).toEqual(['spawned', 'connected', 'handshake', 'firstCall']);
  expect(result.ratios.startMs?.vsBareNode).toBeGreaterThan(0);
  expect(result.targets).toHaveLength(2);
  for (const target of result.targets) {
    expect(Number.isFinite(target.value), target.target).toBe(true);
    expect(typeof target.met).toBe('boolean');
  }
  for (const heading of ['## Tether lifecycle benchmark', '### Start and stop', '### Idle memory and CPU'])
    expect(markdown).toContain(heading);
}

/** The manager section (bench/manager, issue 11) in the same report: shape only, never the numbers. */
function checkManager(result: BenchReport['manager'], markdown: string): void {
  expect(result).toBeDefined();
  if (result === undefined) return;
  expect(result.mode).toBe('quick');
  expect(result.failures).toEqual([]);
  expect(result.config).toEqual(QUICK_MANAGER);
  for (const [name, cell] of Object.entries({ ...result.start, ...result.idle }))
    expect(Number.isFinite(cell.median), name).toBe(true);
  for (const name of ['bareMs', 'managerMs', 'ratio', 'handshakeMedianMs'] as const)
    expect(result.start[name]?.values, name).toHaveLength(result.runs * result.config.rounds);
  for (const name of ['hostCpuPercent', 'stoppedHostCpuPercent', 'kbPerExtension'] as const)
    expect(result.idle[name]?.values, name).toHaveLength(result.runs);
  expect(result.census).toBeDefined();
  expect(Number.isFinite(result.census?.timersPerExtension)).toBe(true);
  expect(result.budgets).toHaveLength(4);
  for (const budget of result.budgets) {
    expect(Number.isFinite(budget.value), budget.budget).toBe(true);
    expect(typeof budget.met).toBe('boolean');
  }
  for (const heading of ['## Tether manager benchmark', '### Start: ', '### Idle: ', '### Budgets'])
    expect(markdown).toContain(heading);
}

describe('bench/run.ts --quick', () => {
  it(
    'writes a result with a number or an explicit unsupported reason for every approach × workload',
    // ~20 s on a quiet 2-core machine (main bench, lifecycle, manager); generous for a loaded one.
    { timeout: 120_000 },
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'tether-bench-test-'));
      await promisify(execFile)(process.execPath, [...CHILD_EXEC_ARGV, runFile, '--quick', '--out', outDir], {
        timeout: 110_000,
      });
      const report = JSON.parse(await readFile(join(outDir, 'quick.json'), 'utf8')) as BenchReport;
      const markdown = await readFile(join(outDir, 'quick.md'), 'utf8');

      expect(report.mode).toBe('quick');
      for (const key of ['cpu', 'cores', 'node', 'date', 'pinning']) expect(report.machine[key]).toBeTruthy();
      // The CPUs the bench had at start (it inherits this process's), not the one it pins itself to.
      expect(report.machine.cores).toBe(CPU_COUNT);
      expect(markdown).toContain(`, ${CPU_COUNT} CPUs,`);
      expect(report.approaches.map((a) => a.id)).toEqual(expect.arrayContaining(['tether', 'raw-unix']));
      expect(report.approaches.some((a) => a.kind === 'peer')).toBe(true);
      expect(report.workloads.map((w) => w.id)).toEqual(
        expect.arrayContaining(['streamToHost', 'streamToChild']),
      );
      expect(report.sizes.streamBytes % report.sizes.streamChunk).toBe(0);
      expect(report.placements.length).toBeGreaterThan(0);
      for (const placement of report.placements) {
        expect(markdown).toContain(`## ${placement}`);
        for (const approach of report.approaches) {
          for (const workload of WORKLOADS) {
            const cell = report.results[placement]?.[approach.id]?.[workload.id];
            expect(cell, `${placement} ${approach.id} ${workload.id}`).toBeDefined();
            if (cell !== undefined && 'unsupported' in cell)
              expect(cell.unsupported.length).toBeGreaterThan(0);
            else {
              expect(Number.isFinite(cell?.median)).toBe(true);
              expect(cell?.median).toBeGreaterThan(0);
              expect(cell?.runs).toHaveLength(report.runs);
            }
          }
        }
        expect(report.ratios[placement]?.inFlight64?.vsFloor).toBeGreaterThan(0);
        expect(report.ratios[placement]?.streamToHost?.vsFloor).toBeGreaterThan(0);
        expect(report.ratios[placement]?.streamToChild?.vsFloor).toBeGreaterThan(0);
      }
      // Tether and the raw floor support every workload but the floor's callback; every target has a value.
      const first = report.results[report.placements[0]!]!;
      for (const workload of WORKLOADS) expect('median' in first.tether![workload.id]!).toBe(true);
      for (const workload of WORKLOADS.filter((w) => w.id !== 'callbackP50'))
        expect('median' in first['raw-unix']![workload.id]!).toBe(true);
      expect(report.targets.length).toBe(7 * report.placements.length);
      expect(markdown).toContain('stream child → host ≥ 80% of raw floor');
      checkLifecycle(report.lifecycle, markdown);
      checkManager(report.manager, markdown);
    },
  );

  it.skipIf(pinningUnavailable() !== undefined)('unpinSelf gives the process back every CPU it had', () => {
    pin({ id: process.pid, thread: false }, HOST_CPU);
    expect(availableParallelism()).toBe(1);
    unpinSelf();
    expect(availableParallelism()).toBe(CPU_COUNT);
  });
});
