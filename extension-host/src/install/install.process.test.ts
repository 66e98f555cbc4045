// manager.install / uninstall with real packages (npm pack), real signatures and real extension processes:
// signed and unsigned installs, upgrade with a trial start and rollback, downgrade, checksum at launch.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import type { ExtensionHostManager } from '../manager/extension-host-manager.js';
import { probe, type FixtureMode } from '../manager/test-fixtures/manager-contract.js';
import { ManagerTestbed, bundleManagerPlugin } from '../manager/test-fixtures/manager-testbed.js';
import { generateSigningKeys, type SigningKeys } from './generate-signing-keys.js';
import { makeFixturePackage } from './test-fixtures/fixture-packages.js';
import { TrustStore } from './trust-store.js';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';

let bed: ManagerTestbed;
let work: string;
let bundle: string;
let trustedKeys: SigningKeys;
let strangerKeys: SigningKeys;
beforeAll(async () => {
  bed = await ManagerTestbed.create();
  work = join(bed.root, 'work');
  await mkdir(work);
  bundle = await bundleManagerPlugin(work);
  trustedKeys = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'acme' });
  strangerKeys = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'stranger' });
  await new TrustStore(bed.data).add(await readFile(trustedKeys.publicKeyFile, 'utf8'), {
    publisher: 'Acme',
  });
});
afterAll(async () => {
  await bed.dispose();
});

/** A real signed (or unsigned) package of the fixture extension, made once per name and version. */
function makePackage(
  name: string,
  version: string,
  options: { keys?: SigningKeys; fixture?: FixtureMode } = {},
): Promise<string> {
  return makeFixturePackage(work, bundle, name, version, options);
}

let manager: ExtensionHostManager;
const installFolder = (): string => join(bed.data, 'extensions');

describe('installing extensions', () => {
  beforeAll(async () => {
    manager = await bed.manager({ extensionFolders: [] });
  });

  it('installs a package signed by a trusted publisher, with progress, and runs it on demand', async () => {
    const phases: string[] = [];
    const result = await manager.install(await makePackage('kv', '1.0.0', { keys: trustedKeys }), {
      onProgress: (p) => phases.push(p.phase),
    });
    expect(result).toMatchObject({ id: 'kv', version: '1.0.0', signed: true, publisher: 'Acme' });
    expect(phases).toEqual(['verify', 'extract', 'activate', 'trial-start', 'done']);
    expect(manager.get('kv')).toMatchObject({
      state: 'stopped',
      version: '1.0.0',
      install: { signed: true, publisher: 'Acme' },
    });
    expect(await manager.service('kv', probe).echo('hi')).toBe('hi');
    expect((await readdir(join(installFolder(), 'kv'))).sort()).toEqual(['1.0.0', 'active.json']);
  });

  it('refuses unsigned packages and untrusted publishers, leaving nothing behind', async () => {
    const unsigned = await makePackage('loose', '1.0.0');
    expect((await rejectionOf(manager.install(unsigned))).code).toBe('NOT_SIGNED');
    const stranger = await makePackage('strange', '1.0.0', { keys: strangerKeys });
    expect((await rejectionOf(manager.install(stranger))).code).toBe('UNTRUSTED_PUBLISHER');
    expect((await readdir(installFolder())).sort()).toEqual(['kv']);
    expect(manager.list().map((e) => e.id)).toEqual(['kv']);
  });

  it('installs an unsigned package when allowed for development, and warns at every start', async () => {
    await manager.install(await makePackage('devonly', '1.0.0'), { allowUnsigned: true });
    expect(manager.get('devonly').install).toMatchObject({ signed: false });
    await manager.service('devonly', probe).echo(1);
    const warnings = manager.logStore.query({ extension: 'devonly', minLevel: 'warn' }).records;
    // One from the trial start, one from this start.
    expect(warnings.filter((r) => /without a signature/.test(r.message))).toHaveLength(2);
  });

  it('upgrades a running extension: the new version starts, the old one is removed', async () => {
    const remote = manager.service('kv', probe);
    const oldPid = await remote.pid();
    const result = await manager.install(await makePackage('kv', '2.0.0', { keys: trustedKeys }));
    expect(result).toMatchObject({ version: '2.0.0', previousVersion: '1.0.0' });
    expect(manager.get('kv')).toMatchObject({ state: 'running', version: '2.0.0' });
    expect(await remote.pid()).not.toBe(oldPid);
    expect(isProcessAlive(oldPid)).toBe(false);
    expect((await readdir(join(installFolder(), 'kv'))).sort()).toEqual(['2.0.0', 'active.json']);
  });

  it('rolls back an upgrade whose new version does not start, and the old one runs again', async () => {
    const broken = await makePackage('kv', '3.0.0', { keys: trustedKeys, fixture: 'crash-on-start' });
    const failure = await rejectionOf(manager.install(broken));
    expect(failure.code).toBe('INSTALL_FAILED');
    expect(failure.message).toMatch(
      /kv@3\.0\.0 was installed but did not start [\s\S]*version 2\.0\.0 was restored\.$/,
    );
    await waitFor(() => manager.get('kv').state === 'running', { what: 'the old version to run again' });
    expect(manager.get('kv').version).toBe('2.0.0');
    expect(await manager.service('kv', probe).echo('still here')).toBe('still here');
    expect((await readdir(join(installFolder(), 'kv'))).sort()).toEqual(['2.0.0', 'active.json']);
  });

  it('refuses a downgrade and a reinstall unless forced', async () => {
    const older = await makePackage('kv', '1.5.0', { keys: trustedKeys });
    expect((await rejectionOf(manager.install(older))).code).toBe('DOWNGRADE_REFUSED');
    const same = join(work, 'packages', 'kv-2.0.0.tgz');
    expect((await rejectionOf(manager.install(same))).code).toBe('ALREADY_INSTALLED');
    await manager.install(older, { force: true });
    expect(manager.get('kv').version).toBe('1.5.0');
  });

  it('refuses to start an installed extension whose entry changed after install (CHECKSUM_MISMATCH)', async () => {
    await manager.stop('kv');
    await writeFile(join(installFolder(), 'kv', '1.5.0', 'plugin.mjs'), 'process.exit(0);\n');
    const failure = await rejectionOf(manager.service('kv', probe).echo(1));
    expect(failure.code).toBe('CHECKSUM_MISMATCH');
    expect(manager.get('kv').state).toBe('invalid');
  });

  it('uninstalls: stops it and removes every version; its logs stay unless purged', async () => {
    const pid = await manager.service('devonly', probe).pid();
    await manager.uninstall('devonly');
    expect(isProcessAlive(pid)).toBe(false);
    expect(manager.list().map((e) => e.id)).toEqual(['kv']);
    expect(manager.logStore.query({ extension: 'devonly' }).records.length).toBeGreaterThan(0);
    await manager.uninstall('kv', { purge: true });
    expect(manager.logStore.query({ extension: 'kv' }).records).toEqual([]);
    expect(await readdir(installFolder())).toEqual([]);
  });

  it('will not uninstall an extension it did not install (a development folder)', async () => {
    const dev = await bed.addExtension({ name: 'mine' });
    const other = await bed.manager({ extensionFolders: [dev] });
    expect((await rejectionOf(other.uninstall('mine'))).code).toBe('INVALID_ARGUMENT');
    await rm(dev, { recursive: true });
  });
});
