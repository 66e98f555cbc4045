// The installed layout: discovery runs the active version, leftovers of interrupted installs are removed.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverExtensions } from '../manager/extension-discovery.js';
import {
  cleanInstallLeftovers,
  extensionHome,
  readActiveRecord,
  removeExtensionHome,
  writeActiveRecord,
} from './install-layout.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-layout-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function version(id: string, v: string): Promise<string> {
  const folder = join(extensionHome(root, id), v);
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'package.json'),
    JSON.stringify({
      name: id,
      version: v,
      tether: { entry: 'plugin.js', services: { s: [1] }, host: '>=0.1.0' },
    }),
  );
  await writeFile(join(folder, 'plugin.js'), '');
  return folder;
}

const record = { entrySha256: 'a'.repeat(64), signed: true, keyId: 'k1', installedAt: 1 };

describe('installed layout', () => {
  it('discovers the version the active record names, with the record', async () => {
    await version('@acme/kv', '1.0.0');
    const two = await version('@acme/kv', '2.0.0');
    await writeActiveRecord(extensionHome(root, '@acme/kv'), {
      ...record,
      version: '2.0.0',
      previous: '1.0.0',
    });
    const [found] = await discoverExtensions([root]);
    expect(found).toMatchObject({
      kind: 'valid',
      id: '@acme/kv',
      folder: two,
      install: { version: '2.0.0', signed: true },
    });
  });

  it('removes staging folders and versions the record does not name; keeps the previous one', async () => {
    await version('kv', '1.0.0');
    await version('kv', '2.0.0');
    await version('kv', '3.0.0-half-installed');
    await writeActiveRecord(extensionHome(root, 'kv'), { ...record, version: '2.0.0', previous: '1.0.0' });
    await mkdir(join(root, '.staging-abc', 'package'), { recursive: true });
    // A pointer switch killed between writing its temporary file and renaming it.
    await writeFile(join(extensionHome(root, 'kv'), '.active.json.0123456789ab.tmp'), '{"format":1,');
    const removed = await cleanInstallLeftovers(root);
    expect(removed.map((p) => p.slice(root.length + 1)).sort()).toEqual([
      '.staging-abc',
      'kv/.active.json.0123456789ab.tmp',
      'kv/3.0.0-half-installed',
    ]);
    expect((await readdir(extensionHome(root, 'kv'))).sort()).toEqual(['1.0.0', '2.0.0', 'active.json']);
  });

  it('removes an extension folder whole or not at all: renamed into a staging folder, then deleted', async () => {
    await version('@acme/kv', '1.0.0');
    await writeActiveRecord(extensionHome(root, '@acme/kv'), { ...record, version: '1.0.0' });
    await removeExtensionHome(root, extensionHome(root, '@acme/kv'));
    expect(await readdir(root)).toEqual(['@acme']);
    expect(await readdir(join(root, '@acme'))).toEqual([]);
    await removeExtensionHome(root, extensionHome(root, 'gone')); // nothing there: nothing to do
    expect(await readdir(root)).toEqual(['@acme']);
  });

  it('ignores a damaged record: the folder is listed as it is, nothing is removed', async () => {
    await version('odd', '1.0.0');
    await writeFile(join(extensionHome(root, 'odd'), 'active.json'), '{"format":1,"version":"../../etc"}');
    expect(await readActiveRecord(extensionHome(root, 'odd'))).toBeUndefined();
    expect(await cleanInstallLeftovers(root)).toEqual([]);
    const [found] = await discoverExtensions([root]);
    expect(found).toMatchObject({ kind: 'invalid', id: 'odd' });
  });
});
