// The host-death watchdog with real processes: a host (test-fixtures/watchdog-host.ts) lists process groups
// that ignore SIGTERM, and dies or not.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { HostDeathWatchdog } from './host-death-watchdog.js';
import { isRunning, killQuietly, runningInGroup, waitUntilGone } from './test-fixtures/process-table.js';

const hostScript = fileURLToPath(new URL('./test-fixtures/watchdog-host.ts', import.meta.url));

const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) killQuietly(pgid, true);
});

/** A process group of two (a shell and its sleep) that only SIGKILL ends; resolves with its id. */
async function stubbornGroup(): Promise<number> {
  const leader = spawn('/bin/sh', ['-c', 'trap "" TERM; sleep 120 & wait; wait'], {
    detached: true,
    stdio: 'ignore',
  });
  const pgid = leader.pid!;
  groups.push(pgid);
  await waitFor(() => runningInGroup(pgid).length === 2, { what: `both members of group ${pgid} to run` });
  return pgid;
}

async function startHost(
  mode: string,
  pgids: readonly number[],
): Promise<{
  host: ChildProcess;
  report: { watchdog: number; replaced?: number };
  exited: Promise<unknown>;
}> {
  const host = spawn(
    process.execPath,
    ['--conditions=tether-source', '--import', TSX_LOADER, hostScript, mode, ...pgids.map(String)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => host.once('exit', (code, signal) => resolve(signal ?? code)));
  const report = await new Promise<{ watchdog: number }>((resolve, reject) => {
    let text = '';
    host.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(JSON.parse(text) as { watchdog: number });
    });
    host.once('exit', () => reject(new Error('the host exited before reporting')));
  });
  return { host, report, exited };
}

describe('issue-10: the host-death watchdog', () => {
  it('when the host is SIGKILLed, SIGKILLs every group still listed within 2 s', async () => {
    const [a, b] = [await stubbornGroup(), await stubbornGroup()];
    const { host, report } = await startHost('watch', [a, b]);
    expect(isRunning(report.watchdog)).toBe(true);
    host.kill('SIGKILL');
    const gone = await waitUntilGone([report.watchdog], [a, b], 4_000);
    expect(gone.running).toEqual([]);
    expect(gone.ms).toBeLessThan(2_000);
  });

  it('never signals a group the host forgot, even when the host dies in the same tick', async () => {
    const pgid = await stubbornGroup();
    const { report, exited } = await startHost('forget-then-die', [pgid]);
    expect(await exited).toBe('SIGKILL');
    // The watchdog has read everything the host wrote and acted on it once it is gone.
    const watchdog = await waitUntilGone([report.watchdog], [], 5_000);
    expect(watchdog.running).toEqual([]);
    expect(runningInGroup(pgid)).toHaveLength(2);
  });

  it('never keeps the host alive, and acts when the host exits by itself', async () => {
    const pgid = await stubbornGroup();
    const { report, exited } = await startHost('exit', [pgid]);
    expect(await exited).toBe(0);
    const gone = await waitUntilGone([report.watchdog], [pgid], 4_000);
    expect(gone.running).toEqual([]);
  });

  it('disposed on purpose, it exits without killing anything', async () => {
    const pgid = await stubbornGroup();
    const { report, exited } = await startHost('dispose', [pgid]);
    expect(await exited).toBe(0);
    expect((await waitUntilGone([report.watchdog], [], 5_000)).running).toEqual([]);
    expect(runningInGroup(pgid)).toHaveLength(2);
  });

  it('a watchdog killed while the host lives is replaced and still guards the groups', async () => {
    const pgid = await stubbornGroup();
    const { host, report } = await startHost('replace', [pgid]);
    expect(report.replaced).not.toBe(report.watchdog);
    expect(runningInGroup(pgid)).toHaveLength(2);
    host.kill('SIGKILL');
    const gone = await waitUntilGone([report.watchdog], [pgid], 4_000);
    expect(gone.running).toEqual([]);
  });

  it('starts with the first group, not before, and ignores ids that cannot be a group', () => {
    const watchdog = new HostDeathWatchdog();
    try {
      watchdog.watchCgroups('/nonexistent/cgroup');
      watchdog.watch(0).dispose();
      watchdog.watch(1).dispose();
      watchdog.watch(-5).dispose();
      expect(watchdog.pid).toBeUndefined();
    } finally {
      watchdog.dispose();
    }
  });

  it('a shell that cannot be started leaves it unavailable, not throwing', async () => {
    const watchdog = new HostDeathWatchdog({ shell: '/nonexistent/sh' });
    const pgid = await stubbornGroup();
    watchdog.watch(pgid).dispose();
    watchdog.watch(pgid);
    expect(watchdog.available).toBe(false);
    expect(watchdog.pid).toBeUndefined();
    watchdog.dispose();
  });
});
