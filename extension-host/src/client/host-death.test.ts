// go-plugin #10 and #136, issue 10 point 4: a host that dies without stopping its plugins — here by SIGKILL,
// when it can run no code at all — must not leave them, nor anything they started, running.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunnerOptions } from '../runner/runner-options.js';
import { TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { isRunning, killQuietly, waitUntilGone } from '../process/test-fixtures/process-table.js';

const hostScript = fileURLToPath(new URL('./test-fixtures/tree-host.ts', import.meta.url));

/** The acceptance bound: everything is gone this long after the host's SIGKILL. */
const GONE_WITHIN_MS = 2_000;

/** Per test: starting a host and its plugin from TypeScript sources takes seconds on a loaded machine. */
const TEST_BUDGET_MS = 60_000;

interface Report {
  readonly plugin: number;
  readonly containment: string;
  readonly child?: number;
  readonly escapee?: number;
}

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) killQuietly(pid);
});

/** Starts tree-host.ts with these runner options and actions; resolves with its report. */
async function startHost(
  options: RunnerOptions,
  actions: readonly string[],
): Promise<{ host: ChildProcess; report: Report }> {
  const host = spawn(
    process.execPath,
    ['--conditions=tether-source', '--import', TSX_LOADER, hostScript, JSON.stringify(options), ...actions],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const report = await new Promise<Report>((resolve, reject) => {
    let text = '';
    host.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(JSON.parse(text) as Report);
    });
    host.on('exit', (code) => reject(new Error(`the host exited early with ${code}`)));
  });
  for (const pid of [report.plugin, report.child, report.escapee]) if (pid !== undefined) leftovers.push(pid);
  return { host, report };
}

/** SIGKILLs the host, then waits (up to twice the bound) for `pids` and `groups` to go. */
async function killHost(host: ChildProcess, pids: readonly number[], groups: readonly number[]) {
  for (const pid of pids) expect(isRunning(pid)).toBe(true);
  host.kill('SIGKILL');
  return waitUntilGone(pids, groups, 2 * GONE_WITHIN_MS);
}

describe('issue-10: host killed with SIGKILL', { timeout: TEST_BUDGET_MS }, () => {
  it('the plugin and every process of its group are gone within 2 s; in a cgroup, a setsid() escapee too', async () => {
    const { host, report } = await startHost({}, ['child', 'escapee']);
    const { plugin, child, escapee } = report as Required<Report>;
    expect(['cgroup', 'process-group']).toContain(report.containment);
    const gone = await killHost(host, [plugin, child], [plugin]);
    expect(gone.running).toEqual([]);
    expect(gone.ms).toBeLessThan(GONE_WITHIN_MS);
    if (report.containment === 'cgroup') {
      // The cgroup level: the watchdog's cgroup.kill reaches what left the group.
      const escaped = await waitUntilGone([escapee], [], 2 * GONE_WITHIN_MS);
      expect(escaped.running).toEqual([]);
      expect(gone.ms + escaped.ms).toBeLessThan(GONE_WITHIN_MS);
    }
  });

  it('containment "process-group": the group goes, a setsid() escapee is missed (what cgroups add)', async () => {
    const { host, report } = await startHost({ containment: 'process-group' }, ['child', 'escapee']);
    const { plugin, child, escapee } = report as Required<Report>;
    expect(report.containment).toBe('process-group');
    const gone = await killHost(host, [plugin, child], [plugin]);
    expect(gone.running).toEqual([]);
    expect(gone.ms).toBeLessThan(GONE_WITHIN_MS);
    // Still there once everything else has gone: nothing at this level can name it.
    expect(isRunning(escapee)).toBe(true);
  });

  it('a plugin whose event loop is stuck goes with its group (the host-death watchdog)', async () => {
    const { host, report } = await startHost({ containment: 'process-group' }, ['child', 'hang']);
    const { plugin, child } = report as Required<Report>;
    const gone = await killHost(host, [plugin, child], [plugin]);
    expect(gone.running).toEqual([]);
    expect(gone.ms).toBeLessThan(GONE_WITHIN_MS);
  });

  it('without the watchdog, a plugin using the SDK still takes its group along', async () => {
    const { host, report } = await startHost({ containment: 'process-group', hostDeathWatchdog: false }, [
      'child',
    ]);
    const { plugin, child } = report as Required<Report>;
    const gone = await killHost(host, [plugin, child], [plugin]);
    expect(gone.running).toEqual([]);
    expect(gone.ms).toBeLessThan(GONE_WITHIN_MS);
  });
});
