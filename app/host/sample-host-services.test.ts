// The samples' host APIs: 03-bidirectional's counts are kept by the app, across restarts.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackPeers } from '@tether/sdk/wire';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { counterStorage } from '../../sample-extensions/03-bidirectional/src/contract.js';
import { sampleHostServices } from './sample-host-services.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storageIn(dataFolder: string) {
  const peers = createLoopbackPeers();
  cleanups.push(() => peers.dispose());
  for (const { definition, implementation } of await sampleHostServices(dataFolder))
    peers.host.expose(definition, implementation);
  return peers.plugin.remote(counterStorage);
}

describe('sampleHostServices', () => {
  it('serves counter.storage over RPC and keeps the counts across restarts', async () => {
    const data = await mkdtemp(path.join(tmpdir(), 'tether-sample-services-'));
    cleanups.push(() => rm(data, { recursive: true, force: true }));
    await mkdir(path.join(data, 'sample-data'));
    const first = await storageIn(data);
    expect(await first.load('a')).toBe(0);
    await first.save('a', 3);
    await first.save('b', 5);
    const file = path.join(data, 'sample-data', 'counts.json');
    await waitFor(async () => (await readFile(file, 'utf8').catch(() => '')).includes('"b": 5'), {
      what: 'the counts to be saved',
    });
    const second = await storageIn(data);
    expect([await second.load('a'), await second.load('b')]).toEqual([3, 5]);
  });
});
