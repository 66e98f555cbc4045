// A cgroup per plugin, with real processes, where this machine lets the test create cgroups (Linux, cgroup
// v2 with cgroup.kill, write access to the test's own cgroup); skipped elsewhere.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { HOST_CGROUP_PREFIX, PLUGIN_CGROUP_PREFIX } from '../constants.js';
import { ownCgroupDir } from './cgroup-v2.js';
import { HostCgroup } from './plugin-cgroups.js';
import { killQuietly, runningInGroup, waitUntilGone } from './test-fixtures/process-table.js';

const ownDir = ownCgroupDir();
const probe = ownDir === undefined ? undefined : HostCgroup.create(ownDir);
if (probe !== undefined) rmdirSync(probe.dir);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/**
 * A group leader moved into `host`'s cgroup before it starts anything; then it starts a member of its group
 * and a process that leaves the group (setsid), both ignoring SIGTERM.
 */
async function containedTree(host: HostCgroup) {
  const leader = spawn(
    '/bin/sh',
    ['-c', 'read go; trap "" TERM; setsid sh -c \'echo $$; exec sleep 120\' & sleep 120 & wait; wait'],
    { detached: true, stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const pgid = leader.pid!;
  cleanups.push(() => killQuietly(pgid, true));
  const cgroup = host.contain(pgid)!;
  leader.stdin.write('go\n');
  const escapee = await new Promise<number>((resolve) =>
    leader.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  cleanups.push(() => killQuietly(escapee));
  expect(runningInGroup(pgid)).not.toContain(escapee);
  return { pgid, escapee, cgroup };
}

function removeQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Still emptying (a failed test): the next host's sweep removes it.
  }
}

async function waitForRemoval(dir: string): Promise<void> {
  await waitFor(() => !existsSync(dir), { what: `${dir} to be removed`, intervalMs: 10 });
}

describe.skipIf(probe === undefined)('issue-10: a cgroup per plugin', () => {
  it('release() kills its whole tree, what left the group included, then removes the cgroup', async () => {
    const host = HostCgroup.create(ownDir)!;
    cleanups.push(() => removeQuietly(host.dir));
    const { pgid, escapee, cgroup } = await containedTree(host);
    expect(cgroup.dir).toBe(`${host.dir}/${PLUGIN_CGROUP_PREFIX}${pgid}`);
    cgroup.release();
    const gone = await waitUntilGone([escapee], [pgid], 4_000);
    expect(gone.running).toEqual([]);
    await waitForRemoval(cgroup.dir);
  });

  it("the host's kill() (what its watchdog does) reaches every plugin cgroup", async () => {
    const host = HostCgroup.create(ownDir)!;
    cleanups.push(() => removeQuietly(host.dir));
    const [one, two] = [await containedTree(host), await containedTree(host)];
    host.kill();
    const gone = await waitUntilGone([one.escapee, two.escapee], [one.pgid, two.pgid], 4_000);
    expect(gone.running).toEqual([]);
    one.cgroup.release();
    two.cgroup.release();
    await waitForRemoval(one.cgroup.dir);
    await waitForRemoval(two.cgroup.dir);
  });

  it('a gone process is not contained, and nothing is left behind', () => {
    const host = HostCgroup.create(ownDir)!;
    cleanups.push(() => removeQuietly(host.dir));
    expect(host.contain(2 ** 22 + 12345)).toBeUndefined();
    expect(existsSync(`${host.dir}/${PLUGIN_CGROUP_PREFIX}${2 ** 22 + 12345}`)).toBe(false);
  });

  it('removes the empty directories of hosts that are gone', () => {
    const stale = `${ownDir!}/${HOST_CGROUP_PREFIX}${2 ** 22 + 54321}`;
    mkdirSync(stale);
    mkdirSync(`${stale}/${PLUGIN_CGROUP_PREFIX}7`);
    const host = HostCgroup.create(ownDir)!;
    cleanups.push(() => removeQuietly(host.dir));
    expect(existsSync(stale)).toBe(false);
  });
});
