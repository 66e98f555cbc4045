// ManagerApi: the manager driven through a Remote<ManagerApi>, as a UI holds it, over a real RPC connection
// (loopback peers: the same mux, codec and RPC layers as a socket or a MessagePort), with real extensions
// and real packages (npm pack, signed).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Remote } from '@tether/sdk';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import type { InstallProgress } from '../install/extension-installer.js';
import { generateSigningKeys, type SigningKeys } from '../install/generate-signing-keys.js';
import { makeFixturePackage } from '../install/test-fixtures/fixture-packages.js';
import { TrustStore } from '../install/trust-store.js';
import type { HostLogRecord } from '../logging/log-record.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import type { ExtensionStateChange } from './extension-state.js';
import type { ManagerApi } from './manager-api.js';
import { probe } from './test-fixtures/manager-contract.js';
import { connectManagerApi } from './test-fixtures/manager-api-client.js';
import { ManagerTestbed, bundleManagerPlugin } from './test-fixtures/manager-testbed.js';

let bed: ManagerTestbed;
let manager: ExtensionHostManager;
let api: Remote<ManagerApi>;
let disposePeers: () => void;
beforeEach(async () => {
  bed = await ManagerTestbed.create();
  await bed.addExtension({ name: 'alpha', commands: [{ id: 'probe.add', title: 'Add' }] });
  manager = await bed.manager();
  ({ api, dispose: disposePeers } = connectManagerApi(manager));
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

describe('ManagerApi install and uninstall', () => {
  let work: string;
  let keys: SigningKeys;
  let signed: string;
  let unsigned: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tether-manager-api-install-'));
    const bundle = await bundleManagerPlugin(work);
    keys = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'acme' });
    signed = await makeFixturePackage(work, bundle, 'kv', '1.0.0', { keys });
    unsigned = await makeFixturePackage(work, bundle, 'loose', '1.0.0');
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await new TrustStore(bed.data).add(await readFile(keys.publicKeyFile, 'utf8'), { publisher: 'Acme' });
  });

  async function read(stream: AsyncIterable<InstallProgress>): Promise<InstallProgress[]> {
    const items: InstallProgress[] = [];
    for await (const item of stream) items.push(item);
    return items;
  }

  it('streams each step of an install, ending with what was installed; uninstall removes it', async () => {
    const items = await read(await api.install(signed, {}));
    expect(items.map((item) => item.phase)).toEqual(['verify', 'extract', 'activate', 'trial-start', 'done']);
    expect(items.at(-1)).toEqual({
      phase: 'done',
      id: 'kv',
      version: '1.0.0',
      signed: true,
      keyId: keys.keyId,
      publisher: 'Acme',
    });
    // The manager behind the API has it at once, with its signature status.
    expect((await api.get('kv')).install).toMatchObject({
      signed: true,
      keyId: keys.keyId,
      publisher: 'Acme',
    });
    await api.uninstall('kv', { purge: true });
    expect((await api.list()).map((e) => e.id)).toEqual(['alpha']);
  });

  it('fails the stream of a refused install with the InstallError and its code; nothing changes', async () => {
    const stream = await api.install(unsigned, {});
    await expect(read(stream)).rejects.toMatchObject({ name: 'InstallError', code: 'NOT_SIGNED' });
    // Only the two choices are taken, checked, from a caller.
    const junk = await api.install(unsigned, { allowUnsigned: 'yes' } as never);
    await expect(read(junk)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(api.uninstall('alpha', {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await api.list()).map((e) => e.id)).toEqual(['alpha']);
  });

  it('goes on with an install whose reader stopped reading', async () => {
    // The trial start ends with the new version stopped again (it was not running before).
    let tried = false;
    const subscription = manager.onDidChangeState((change) => {
      if (change.id === 'loose' && change.from === 'stopping' && change.to === 'stopped') tried = true;
    });
    for await (const item of await api.install(unsigned, { allowUnsigned: true })) {
      expect(item.phase).toBe('verify');
      break;
    }
    await waitFor(() => tried, { what: 'the install to try the new version' });
    subscription.dispose();
    expect(manager.get('loose').install).toMatchObject({ signed: false });
  });
});
