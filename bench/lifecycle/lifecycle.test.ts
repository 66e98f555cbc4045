// `runLifecycle({ quick: true })` produces a complete, well-formed result: every approach × metric has a
// finite number or an explicit reason, and both targets are evaluated. Never checks the numbers themselves.
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_APPROACHES } from './approaches/index.js';
import { LIFECYCLE_METRICS } from './lifecycle-metrics.js';
import { renderLifecycleMarkdown, renderLifecycleTable, runLifecycle } from './lifecycle.js';

describe('runLifecycle (quick)', () => {
  it(
    'measures every approach × metric or says why not, and checks both targets',
    { timeout: 60_000 },
    async () => {
      const result = await runLifecycle({ quick: true, runs: 1 });

      expect(result.mode).toBe('quick');
      expect(result.failures).toEqual([]);
      for (const key of ['cpu', 'cores', 'node', 'date']) expect(result.machine[key]).toBeTruthy();
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
      // Tether itself measures everything that /proc allows: start, stop and both idle memory figures.
      for (const metric of ['startMs', 'stopMs', 'idleRssMB', 'groupRssMB', 'groupHostCpu'])
        expect('median' in result.results.tether![metric]!, metric).toBe(true);
      expect(result.results.tether!.startMs).toMatchObject({ samples: expect.any(Array) });
      expect(Object.keys(result.phases.tether ?? {})).toEqual([
        'spawned',
        'connected',
        'handshake',
        'firstCall',
      ]);
      expect(result.ratios.startMs?.vsBareNode).toBeGreaterThan(0);
      expect(result.ratios.startMs?.bestPeer).toBeDefined();

      expect(result.targets).toHaveLength(2);
      for (const target of result.targets) {
        expect(Number.isFinite(target.value), target.target).toBe(true);
        expect(typeof target.met).toBe('boolean');
      }

      const markdown = renderLifecycleMarkdown(result);
      for (const heading of ['## Start and stop', '## Idle memory and CPU', '## Targets'])
        expect(markdown).toContain(heading);
      expect(renderLifecycleTable(result)).toContain('Targets:');
    },
  );
});
