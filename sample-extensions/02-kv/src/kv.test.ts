// The kv plugin as real processes: version negotiation, persistence across processes, atomic writes, and
// the host CLI run exactly as `npm start` runs it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeRunner, readManifest, type PluginClient } from '@tether/extension-host';
import { KV_FILE_ENV, kvV2 } from './contract.js';
import { TYPESCRIPT_NODE_ARGS, dispenseKv, extensionDir, startKv } from './launch.js';

let dir: string;
let file: string;
const clients: PluginClient[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tether-kv-test-'));
  file = path.join(dir, 'kv.json');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function start(versions: number[]): Promise<PluginClient> {
  const client = await startKv({ file, versions, runner: new NodeRunner({ output: null }) });
  clients.push(client);
  return client;
}

describe('02-kv', () => {
  it('declares kv versions 1 and 2 in its manifest', async () => {
    const manifest = await readManifest(extensionDir);
    expect(manifest.services.get('kv')).toEqual([1, 2]);
  });

  it('a host that speaks only version 1 gets v1: put and get, no list', async () => {
    const client = await start([1]);
    expect(client.version).toBe(1);
    const store = dispenseKv(client);
    expect(store.version).toBe(1);
    expect(store.v2).toBeUndefined();
    await store.v1.put('a', '1');
    expect(await store.v1.get('a')).toBe('1');
    expect(await store.v1.get('missing')).toBeUndefined();
    // Even forcing the v2 definition does not help: at version 1 the plugin serves only put and get.
    await expect(client.dispense(kvV2).list('')).rejects.toMatchObject({ code: 'METHOD_NOT_FOUND' });
  });

  it('a host that speaks [1, 2] gets v2, and the data persists across plugin processes', async () => {
    const first = await start([1, 2]);
    expect(first.version).toBe(2);
    const v2 = dispenseKv(first).v2!;
    await v2.put('fruit/apple', 'red');
    await v2.put('fruit/banana', 'yellow');
    await v2.put('veg/leek', 'green');
    expect(await v2.list('fruit/')).toEqual(['fruit/apple', 'fruit/banana']);
    expect(await v2.delete('veg/leek')).toBe(true);
    expect(await v2.delete('veg/leek')).toBe(false);
    const firstPid = first.pid;
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = await start([1, 2]);
    expect(second.pid).not.toBe(firstPid);
    const again = dispenseKv(second).v2!;
    expect(await again.list('')).toEqual(['fruit/apple', 'fruit/banana']);
    expect(await again.get('fruit/banana')).toBe('yellow');
  });

  it('writes the file atomically: valid JSON after concurrent puts, no temp files left', async () => {
    const client = await start([1, 2]);
    const v2 = dispenseKv(client).v2!;
    await Promise.all(Array.from({ length: 50 }, (_, i) => v2.put(`k${i}`, String(i))));
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(json)).toHaveLength(50);
    expect(json['k49']).toBe('49');
    expect(await readdir(dir)).toEqual(['kv.json']);
  });

  it('the host CLI puts, gets and lists across separate runs', async () => {
    const run = async (...args: string[]): Promise<string> => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [...TYPESCRIPT_NODE_ARGS, 'src/host.ts', ...args],
        { cwd: extensionDir, env: { ...process.env, [KV_FILE_ENV]: file } },
      );
      return stdout;
    };
    expect(await run('put', 'a', '1')).toBe('ok\n');
    expect(await run('put', 'b', '2')).toBe('ok\n');
    expect(await run('get', 'a')).toBe('1\n');
    expect(await run('list')).toBe('a\nb\n');
    await expect(run('list', '--v1')).rejects.toMatchObject({ code: 2 });
  });
});
