// ManagerApi: the manager driven through a Remote<ManagerApi>, as a UI holds it, over a real RPC connection
// (loopback peers: the same mux, codec and RPC layers as a socket or a MessagePort), with real extensions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Remote } from '@tether/sdk';
import { createLoopbackPeers } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import type { HostLogRecord } from '../logging/log-record.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import type { ExtensionStateChange } from './extension-state.js';
import { managerApi, type ManagerApi } from './manager-api.js';
import { managerApiBinding } from './manager-api-service.js';
import { probe } from './test-fixtures/manager-contract.js';
import { ManagerTestbed } from './test-fixtures/manager-testbed.js';

let bed: ManagerTestbed;
let manager: ExtensionHostManager;
let api: Remote<ManagerApi>;
let disposePeers: () => void;
beforeEach(async () => {
  bed = await ManagerTestbed.create();
  await bed.addExtension({ name: 'alpha', commands: [{ id: 'probe.add', title: 'Add' }] });
  manager = await bed.manager();
  const peers = createLoopbackPeers();
  const binding = managerApiBinding(manager);
  peers.host.expose(binding.definition, binding.implementation);
  api = peers.plugin.remote(managerApi);
  disposePeers = () => peers.dispose();
});
afterEach(async () => {
  disposePeers();
  await bed.dispose();
});

describe('ManagerApi over RPC', () => {
  it('lists, starts, stops and sends every state change as an event', async () => {
    expect((await api.list()).map((e) => [e.id, e.state])).toEqual([['alpha', 'stopped']]);
    const changes: ExtensionStateChange[] = [];
    const subscription = api.onDidChangeState((change) => changes.push(change));
    // The subscription crosses the wire; a round trip makes sure it is in place before the start.
    await api.list();
    await api.start('alpha');
    expect((await api.get('alpha')).state).toBe('running');
    await api.stop('alpha');
    await waitFor(() => changes.length === 4, { what: 'four state events' });
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual([
      'stopped→starting',
      'starting→running',
      'running→stopping',
      'stopping→stopped',
    ]);
    expect(changes[1]!.snapshot.pid).toBeGreaterThan(0);
    subscription.dispose();
  });

  it('keeps error codes across the wire', async () => {
    await expect(api.start('nobody')).rejects.toMatchObject({ code: 'EXTENSION_NOT_FOUND' });
    await expect(api.executeCommand('no.such', [])).rejects.toMatchObject({ code: 'COMMAND_NOT_FOUND' });
  });

  it('runs contributed commands', async () => {
    expect(await api.commands()).toEqual([{ id: 'probe.add', title: 'Add', extension: 'alpha' }]);
    expect(await api.executeCommand('probe.add', [20, 22])).toBe(42);
  });

  it('streams live log records and answers log queries', async () => {
    const stream = await api.followLogs({ extension: 'alpha' });
    const received: HostLogRecord[] = [];
    const reading = (async () => {
      for await (const batch of stream) {
        received.push(...batch);
        if (received.some((r) => r.message === 'ready')) break;
      }
    })();
    await manager.service('alpha', probe).echo(1);
    await reading;
    expect(received.find((r) => r.message === 'ready')).toMatchObject({
      extension: 'alpha',
      level: 'info',
      fields: { pid: expect.any(Number) as unknown },
    });
    // What the plugin logged before it was connected arrived as a stderr line; both are in the history.
    const page = await api.queryLogs({ extension: 'alpha' });
    expect(page.records.map((r) => [r.scope, r.message])).toEqual([
      ['stderr', 'starting {"mode":"ok"}'],
      ['', 'ready'],
    ]);
  });

  it('drops the log subscription of a reader whose connection closes while the feed is quiet', async () => {
    const stream = await api.followLogs({ extension: 'alpha' });
    const iterator = stream[Symbol.asyncIterator]();
    const pending = iterator.next().catch(() => undefined);
    await waitFor(() => manager.logStore.subscriberCount === 1, { what: 'the host to subscribe' });
    disposePeers();
    await waitFor(() => manager.logStore.subscriberCount === 0, { what: 'the subscription to go' });
    await pending;
  });

  it('grants host APIs and persists the choice', async () => {
    // alpha's manifest does not ask for it: nothing to grant.
    await expect(api.grant('alpha', 'storage')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await bed.addExtension({ name: 'beta', hostApis: ['storage'] });
    await api.rescan();
    await api.grant('beta', 'storage');
    expect((await api.get('beta')).grantedHostApis).toEqual(['storage']);
    await manager.dispose();
    const again = await bed.manager();
    expect(again.get('beta').grantedHostApis).toEqual(['storage']);
  });

  it('streams resource samples while read, and stops sampling when the reader stops', async () => {
    await api.start('alpha');
    const stream = await api.followStats();
    for await (const sample of stream) {
      expect(sample[0]).toMatchObject({ id: 'alpha' });
      expect(sample[0]!.pid).toBeGreaterThan(0);
      break;
    }
    await waitFor(() => !manager.watchingStats, { what: 'the sampling to stop' });
  });
});
