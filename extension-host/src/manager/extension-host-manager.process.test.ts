// ExtensionHostManager with real extension processes: discovery, states, activation, supervision, persisted
// choices, commands, host API permissions, resources, and that nothing outlives it.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { implement, isTetherError } from '@tether/sdk';
import { isProcessAlive } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { AUDIT_LOG_SCOPE, MANAGER_STATE_FILE } from '../constants.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import type { ExtensionState, ExtensionStateChange } from './extension-state.js';
import { CRASH_LOG_SCOPE } from '../logging/log-record.js';
import { probe, storage } from './test-fixtures/manager-contract.js';
import { ManagerTestbed } from './test-fixtures/manager-testbed.js';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';

let bed: ManagerTestbed;
beforeAll(async () => {
  bed = await ManagerTestbed.create();
});
afterAll(async () => {
  await bed.dispose();
});
afterEach(async () => {
  // Each test gets fresh folders; managers of the test are disposed first.
  await bed.dispose();
  bed = await ManagerTestbed.create();
});

/** Every state an extension goes through, recorded from the manager's events. */
function recordStates(manager: ExtensionHostManager, id: string): ExtensionState[] {
  const states: ExtensionState[] = [];
  manager.onDidChangeState((change: ExtensionStateChange) => {
    if (change.id === id) states.push(change.to);
  });
  return states;
}

describe('discovery', () => {
  it('lists valid and invalid extensions, with the manifest problems of the invalid ones', async () => {
    await bed.addExtension({ name: 'good' });
    await bed.addExtension({ name: 'broken', tether: { entry: 42, runner: 'bogus' } });
    const manager = await bed.manager();
    const list = manager.list();
    expect(list.map((e) => [e.id, e.state])).toEqual([
      ['broken', 'invalid'],
      ['good', 'stopped'],
    ]);
    const broken = list.find((e) => e.id === 'broken')!;
    expect(broken.problems!.join('\n')).toMatch(/entry/);
    expect(broken.problems!.join('\n')).toMatch(/runner/);
    const refused = await rejectionOf(manager.service('broken', probe).echo(1));
    expect(refused.code).toBe('EXTENSION_INVALID');
  });

  it('notices extension folders added and removed while it runs', async () => {
    const manager = await bed.manager();
    expect(manager.list()).toEqual([]);
    const dir = await bed.addExtension({ name: 'late' });
    await waitFor(() => manager.list().some((e) => e.id === 'late'), {
      what: 'the new extension to be listed',
    });
    const remote = manager.service('late', probe);
    const pid = await remote.pid();
    await rm(dir, { recursive: true });
    await waitFor(() => manager.list().length === 0, { what: 'the removed extension to go' });
    await waitFor(() => !isProcessAlive(pid), { what: 'the removed extension’s process to stop' });
    expect((await rejectionOf(remote.echo(1))).message).toMatch(/"late" was removed/);
  });

  it('treats an extension built for another app (another cookie) as invalid', async () => {
    await bed.addExtension({
      name: 'foreign',
      tether: {
        entry: 'plugin.mjs',
        services: { probe: [1] },
        host: '>=0.1.0',
        handshake: { cookieKey: 'OTHER_APP', cookieValue: 'x' },
      },
    });
    const manager = await bed.manager();
    expect(manager.get('foreign')).toMatchObject({ state: 'invalid' });
    expect(manager.get('foreign').problems![0]).toMatch(/another app/);
  });
});

describe('activation', () => {
  it('starts an on-demand extension at its first call and holds the call until it is ready', async () => {
    await bed.addExtension({ name: 'lazy' });
    const manager = await bed.manager();
    const states = recordStates(manager, 'lazy');
    expect(manager.get('lazy').state).toBe('stopped');
    const remote = manager.service('lazy', probe);
    expect(await remote.echo(new Map([['a', 1]]))).toEqual(new Map([['a', 1]]));
    const snapshot = manager.get('lazy');
    expect(snapshot).toMatchObject({ state: 'running', restarts: 0 });
    expect(snapshot.pid).toBe(await remote.pid());
    expect(snapshot.handshakeMs).toBeGreaterThan(0);
    expect(states).toEqual(['starting', 'running']);
  });

  it('starts a startup extension with the manager', async () => {
    await bed.addExtension({ name: 'eager', activation: 'startup' });
    const manager = await bed.manager();
    await waitFor(() => manager.get('eager').state === 'running', { what: 'the startup extension to run' });
  });

  it('stops an extension left unused for its idle timeout, and starts it again on the next call', async () => {
    await bed.addExtension({ name: 'idler', idleTimeoutSeconds: 0.3 });
    const manager = await bed.manager();
    const remote = manager.service('idler', probe);
    const firstPid = await remote.pid();
    await waitFor(() => manager.get('idler').state === 'stopped', { what: 'the idle stop' });
    expect(isProcessAlive(firstPid)).toBe(false);
    expect(await remote.pid()).not.toBe(firstPid);
  });

  it('keeps an extension whose stream is being read past its idle timeout, and idles it after', async () => {
    await bed.addExtension({ name: 'streamer', idleTimeoutSeconds: 0.3 });
    const manager = await bed.manager();
    const states: string[] = [];
    manager.onDidChangeState(({ id, to }) => {
      if (id === 'streamer') states.push(to);
    });
    const counted: number[] = [];
    // Five items 200 ms apart: the reading outlasts the idle timeout three times over.
    for await (const n of await manager.service('streamer', probe).count(5, 200)) counted.push(n);
    expect(counted).toEqual([1, 2, 3, 4, 5]);
    expect(states).toEqual(['starting', 'running']);
    await waitFor(() => manager.get('streamer').state === 'stopped', {
      what: 'the idle stop after the stream',
    });
  });

  it('follows an event subscription across a restart', async () => {
    await bed.addExtension({ name: 'ticker' });
    const manager = await bed.manager();
    const remote = manager.service('ticker', probe);
    const ticks: number[] = [];
    const subscription = remote.onDidTick((n) => ticks.push(n));
    await waitFor(() => manager.get('ticker').state === 'running', { what: 'the subscription to start it' });
    await waitFor(
      async () => {
        await remote.tick(1);
        return ticks.includes(1);
      },
      { what: 'the first tick' },
    );
    await manager.restart('ticker');
    await waitFor(
      async () => {
        await remote.tick(2);
        return ticks.includes(2);
      },
      { what: 'a tick after the restart' },
    );
    subscription.dispose();
  });
});

describe('enable and disable', () => {
  it('persists the choice atomically, stops a disabled extension and refuses its calls', async () => {
    await bed.addExtension({ name: 'toggle' });
    const manager = await bed.manager();
    const remote = manager.service('toggle', probe);
    const pid = await remote.pid();
    await manager.disable('toggle');
    expect(manager.get('toggle')).toMatchObject({ state: 'disabled', enabled: false });
    expect(isProcessAlive(pid)).toBe(false);
    expect((await rejectionOf(remote.echo(1))).code).toBe('EXTENSION_DISABLED');
    const saved = JSON.parse(await readFile(join(bed.data, MANAGER_STATE_FILE), 'utf8')) as {
      disabled: string[];
    };
    expect(saved.disabled).toEqual(['toggle']);
    await manager.dispose();

    const again = await bed.manager();
    expect(again.get('toggle').state).toBe('disabled');
    await again.enable('toggle');
    expect(again.get('toggle').state).toBe('stopped');
    expect(await again.service('toggle', probe).echo('back')).toBe('back');
  });

  it('sets a damaged state file aside with a warning and keeps every extension', async () => {
    await bed.addExtension({ name: 'survivor' });
    const manager = await bed.manager();
    await manager.disable('survivor');
    await manager.dispose();
    await writeFile(join(bed.data, MANAGER_STATE_FILE), '{"version":1,"disabled":["surv');
    const again = await bed.manager();
    expect(again.list().map((e) => [e.id, e.state])).toEqual([['survivor', 'stopped']]);
    const warnings = again.logStore.query({ minLevel: 'warn' }).records.map((r) => r.message);
    expect(warnings.join('\n')).toMatch(/state file was damaged.*moved to .*corrupt-/);
  });
});

describe('supervisor', () => {
  it('restarts a crashed extension with its exit code, stderr tail and last logs recorded', async () => {
    await bed.addExtension({ name: 'crashy' });
    const manager = await bed.manager();
    const states = recordStates(manager, 'crashy');
    const remote = manager.service('crashy', probe);
    const firstPid = await remote.pid();
    await remote.crash(7).catch(() => undefined);
    await waitFor(() => manager.get('crashy').restarts === 1 && manager.get('crashy').state === 'running', {
      what: 'the restart after the crash',
    });
    const snapshot = manager.get('crashy');
    expect(snapshot.pid).not.toBe(firstPid);
    expect(snapshot.lastError).toMatchObject({ code: 'PLUGIN_EXITED', exitCode: 7 });
    expect(snapshot.lastError!.lastLogs!.join('\n')).toMatch(/starting/);
    expect(states).toEqual(['starting', 'running', 'crashed', 'starting', 'running']);
    // The crash is in its log too, after its last records, for log views that open later.
    const [crashRecord] = manager.logStore.query({ extension: 'crashy', scope: CRASH_LOG_SCOPE }).records;
    expect(crashRecord).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/^crashed: /),
      fields: { code: 'PLUGIN_EXITED', exitCode: 7 },
    });
  });

  it('gives up after the crash limit (failed, with the reason) until the user restarts it', async () => {
    await bed.addExtension({ name: 'loop', crashLimit: { count: 2, windowSeconds: 60 } });
    const manager = await bed.manager();
    const remote = manager.service('loop', probe);
    for (let crash = 1; crash <= 3; crash++) {
      await remote.crash(1).catch(() => undefined);
      if (crash < 3) {
        await waitFor(
          () => manager.get('loop').restarts === crash && manager.get('loop').state === 'running',
          {
            what: `restart ${crash}`,
          },
        );
      }
    }
    await waitFor(() => manager.get('loop').state === 'failed', { what: 'the extension to fail' });
    expect(manager.get('loop').lastError!.message).toMatch(/Crashed 3 times within 60 s/);
    expect((await rejectionOf(remote.echo(1))).code).toBe('EXTENSION_FAILED');
    await manager.restart('loop');
    expect(manager.get('loop')).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('ends a crash loop at start-up in failed, and every held call gets the start error', async () => {
    await bed.addExtension({
      name: 'doomed',
      fixture: 'crash-on-start',
      crashLimit: { count: 2, windowSeconds: 60 },
    });
    const manager = await bed.manager();
    const states = recordStates(manager, 'doomed');
    const remote = manager.service('doomed', probe);
    const held = await Promise.all([rejectionOf(remote.echo(1)), rejectionOf(remote.echo(2))]);
    expect(held.map((e) => e.code)).toEqual(['PLUGIN_EXITED', 'PLUGIN_EXITED']);
    expect(held[0].message).toMatch(/exit code 3|code 3/);
    await waitFor(() => manager.get('doomed').state === 'failed', { what: 'the start-up crash loop to end' });
    expect(states.filter((s) => s === 'starting')).toHaveLength(3);
    expect(manager.get('doomed').lastError!.stderrTail!.join('\n')).toMatch(/crashing on start/);
  });

  it('serializes concurrent start, stop and restart: never two processes for one extension', async () => {
    await bed.addExtension({ name: 'busy' });
    const manager = await bed.manager();
    const pids = new Set<number>();
    manager.onDidChangeState((change) => {
      if (change.snapshot.pid !== undefined) pids.add(change.snapshot.pid);
    });
    await Promise.all([
      manager.start('busy'),
      manager.restart('busy'),
      manager.stop('busy'),
      manager.start('busy'),
      manager.restart('busy'),
      manager.service('busy', probe).echo('x'),
    ]);
    const current = manager.get('busy').pid;
    expect(current).toBeDefined();
    for (const pid of pids) if (pid !== current) expect(isProcessAlive(pid)).toBe(false);
    expect(pids.size).toBeGreaterThanOrEqual(3);
  });

  it('flags an extension whose event loop is blocked as unresponsive, not one whose handler awaits', async () => {
    await bed.addExtension({ name: 'stuck' });
    const manager = await bed.manager({ unresponsiveMs: 1000 });
    const states = recordStates(manager, 'stuck');
    const remote = manager.service('stuck', probe);
    expect(await remote.sleep(3000)).toBe('slept 3000');
    expect(states).toEqual(['starting', 'running']);
    expect(manager.get('stuck').acknowledgesCalls).toBe(true);
    const blocked = remote.block(4000);
    await waitFor(() => manager.get('stuck').state === 'unresponsive', { what: 'the unresponsive state' });
    expect(await blocked).toBe('blocked 4000');
    await waitFor(() => manager.get('stuck').state === 'running', {
      what: 'the extension to be running again',
    });
    expect(states).toEqual(['starting', 'running', 'unresponsive', 'running']);
  });

  it('kills and restarts an extension unresponsive for longer than the policy allows', async () => {
    await bed.addExtension({ name: 'hung' });
    // Deadlines with room for a loaded machine, where even an idle plugin's ack can take a few hundred ms.
    const manager = await bed.manager({ unresponsiveMs: 1000, killUnresponsiveAfterMs: 2000 });
    const remote = manager.service('hung', probe);
    const firstPid = await remote.pid();
    const failure = await rejectionOf(remote.block(60_000));
    expect(failure.code).toMatch(/PLUGIN_EXITED|CONNECTION_CLOSED/);
    await waitFor(() => manager.get('hung').state === 'running' && manager.get('hung').restarts >= 1, {
      what: 'the restart of the hung extension',
    });
    expect(manager.get('hung').lastError).toMatchObject({ code: 'UNRESPONSIVE' });
    // Killed; reaped a moment later (until then kill(pid, 0) still finds the zombie).
    await waitFor(() => !isProcessAlive(firstPid), { what: 'the hung process to be gone' });
  });

  it('dispose() stops every extension: no process outlives the manager', async () => {
    await bed.addExtension({ name: 'one', activation: 'startup' });
    await bed.addExtension({ name: 'two' });
    const manager = await bed.manager();
    await manager.service('two', probe).echo(1);
    await waitFor(() => manager.get('one').state === 'running', { what: 'the startup extension' });
    const pids = [manager.get('one').pid!, manager.get('two').pid!];
    await manager.dispose();
    expect(pids.map((pid) => isProcessAlive(pid))).toEqual([false, false]);
    expect(manager.list().map((e) => e.state)).toEqual(['stopped', 'stopped']);
  });
});

describe('logs', () => {
  it('keep flowing to the store and the per-extension electron-log file across restarts', async () => {
    await bed.addExtension({ name: 'chatty' });
    const logDir = join(bed.data, 'logs');
    const manager = await bed.manager({ logSink: new ElectronLogSink({ dir: logDir }) });
    const remote = manager.service('chatty', probe);
    const pids = [await remote.pid()];
    await manager.restart('chatty');
    pids.push(await remote.pid());
    const ready = () => manager.logStore.query({ extension: 'chatty', text: 'ready' }).records;
    await waitFor(() => ready().length === 2, { what: 'a ready record from each process' });
    expect(ready().map((r) => r.fields?.['pid'])).toEqual(pids);
    await manager.dispose();
    const file = await readFile(join(logDir, 'chatty.log'), 'utf8');
    for (const pid of pids) expect(file).toContain(`ready {"pid":${pid}}`);
  });
});

describe('commands', () => {
  it('lists contributed commands and runs them in their extension, errors keeping their shape', async () => {
    await bed.addExtension({
      name: 'cmds',
      commands: [
        { id: 'probe.add', title: 'Add two numbers', arguments: 'a: number, b: number' },
        { id: 'probe.fail', title: 'Fail' },
      ],
    });
    const manager = await bed.manager();
    expect(manager.commands()).toEqual([
      { id: 'probe.add', title: 'Add two numbers', arguments: 'a: number, b: number', extension: 'cmds' },
      { id: 'probe.fail', title: 'Fail', extension: 'cmds' },
    ]);
    expect(manager.get('cmds').state).toBe('stopped');
    expect(await manager.executeCommand('probe.add', 2, 3)).toBe(5);
    const failure = await rejectionOf(manager.executeCommand('probe.fail'));
    expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'probe.fail always fails' });
    expect((await rejectionOf(manager.executeCommand('nope'))).code).toBe('COMMAND_NOT_FOUND');
  });
});

describe('host API permissions', () => {
  it('lets an extension reach a declared host API only once granted, and audits refusals', async () => {
    await bed.addExtension({ name: 'asker', hostApis: ['storage'] });
    const manager = await bed.manager({
      app: {
        name: 'tether-test',
        handshake: { cookieKey: 'TETHER_MANAGER_FIXTURE', cookieValue: 'manager-5c1e' },
        hostServices: [implement(storage, { get: (key) => `value of ${key}` })],
      },
    });
    const remote = manager.service('asker', probe);
    expect(await remote.useStorage('a')).toBe('PERMISSION_DENIED');
    const audit = manager.audit({ extension: 'asker' }).records;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      scope: AUDIT_LOG_SCOPE,
      fields: { service: 'storage', method: 'get', reason: 'not-granted' },
    });

    await manager.grant('asker', 'storage');
    expect(await remote.useStorage('a')).toBe('value of a');
    expect(manager.get('asker').grantedHostApis).toEqual(['storage']);
    await manager.revoke('asker', 'storage');
    expect(await remote.useStorage('b')).toBe('PERMISSION_DENIED');
  });

  it('refuses a host API the manifest does not declare, and will not grant it', async () => {
    await bed.addExtension({ name: 'sneaky', hostApis: [] });
    const manager = await bed.manager({
      app: {
        name: 'tether-test',
        handshake: { cookieKey: 'TETHER_MANAGER_FIXTURE', cookieValue: 'manager-5c1e' },
        hostServices: [implement(storage, { get: () => 'secret' })],
      },
    });
    await expect(manager.grant('sneaky', 'storage')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await manager.service('sneaky', probe).useStorage('k')).toBe('PERMISSION_DENIED');
    expect(manager.audit({ extension: 'sneaky' }).records[0]!.fields).toMatchObject({
      reason: 'not-declared',
    });
  });
});

describe('resources', () => {
  it('reports memory, CPU and call rates of running extensions only while watched', async () => {
    await bed.addExtension({ name: 'measured' });
    const manager = await bed.manager({ statsIntervalMs: 100 });
    const remote = manager.service('measured', probe);
    await remote.block(200);
    const samples: number[] = [];
    const watching = manager.watchStats((stats) => {
      const mine = stats.find((s) => s.id === 'measured');
      if (mine?.cpuPercent !== undefined) samples.push(mine.cpuPercent);
    });
    await waitFor(
      async () => {
        await remote.block(50);
        return samples.length >= 2;
      },
      { what: 'two CPU samples' },
    );
    watching.dispose();
    const [stats] = await manager.stats();
    expect(stats!.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(stats!.processes).toBeGreaterThanOrEqual(1);
    expect(stats!.calls).toBeGreaterThanOrEqual(3);
    expect(Math.max(...samples)).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  it('names the extensions there are when asked for one that is not', async () => {
    await bed.addExtension({ name: 'real' });
    const manager = await bed.manager();
    try {
      manager.get('unreal');
      expect.unreachable();
    } catch (error) {
      expect(isTetherError(error) && error.code).toBe('EXTENSION_NOT_FOUND');
      expect((error as Error).message).toMatch(/Installed: real/);
    }
  });
});
