// Issue 12, crash safety: a SIGKILL of the installer at any step leaves the previous state or the new one,
// never a half-installed extension, and the next start cleans up what the install left.
//
// A child process (test-fixtures/interrupted-install.ts) runs manager.install over a data folder and stops at
// one point — each InstallStep, and `handshake` (the new version's process connected, its handshake under
// way) — where the test SIGKILLs it. A new manager over the same data folder then must find:
//   - killed before the pointer switch (staged … moved): the previous state — nothing for a first install;
//     for an upgrade, 1.0.0 active, and it runs;
//   - killed from the switch on (activated, handshake, tried, committed): the new version active, and it
//     runs. Before `committed` it was never tried (or its trial was cut short): it starts like any
//     installed version, on demand, and a version that cannot start is the supervisor's to handle (crashed,
//     then failed) like any other. The previous version's folder stays, named as `previous` in active.json,
//     until the pointer no longer names it (`committed`, or the next upgrade) and the next start removes it;
//   - in every case: no `.staging-*` folder, no version folder or temporary file that active.json does not
//     name, no extension listed as invalid, and no orphaned extension process.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { ExtensionHostManager } from '../manager/extension-host-manager.js';
import { managerHandshake, probe } from '../manager/test-fixtures/manager-contract.js';
import { bundleManagerPlugin } from '../manager/test-fixtures/manager-testbed.js';
import { generateSigningKeys } from './generate-signing-keys.js';
import type { InstallStep } from './extension-installer.js';
import { ACTIVE_RECORD_FILE, STAGING_PREFIX, activeFolderName, readActiveRecord } from './install-layout.js';
import { makeFixturePackage } from './test-fixtures/fixture-packages.js';
import { TrustStore } from './trust-store.js';

/** Where the child stops, in the order an install passes them. */
const STOPS = [
  'staged',
  'verified',
  'extracted',
  'moved',
  'activated',
  'handshake',
  'tried',
  'committed',
] as const satisfies readonly (InstallStep | 'handshake')[];
type Stop = (typeof STOPS)[number];

/** From this stop on, the new version is the installed one. */
const SWITCHED_AT = STOPS.indexOf('activated');
/** Up to this stop the installer is inside installPackage, whose staging folder the kill leaves behind. */
const LAST_STAGED = STOPS.indexOf('activated');

let root: string;
let child: string;
let v1: string;
let v2: string;
/** kv 3.0.0, whose process exits before its handshake. */
let v3Broken: string;
/** A data folder whose user trusts the publisher; nothing installed. */
let emptyData: string;
/** The same, with kv 1.0.0 installed (by a manager, as a user would). */
let installedData: string;
let counter = 0;
const managers: ExtensionHostManager[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-crash-'));
  child = join(root, 'interrupted-install.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./test-fixtures/interrupted-install.ts', import.meta.url))],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['tether-source'],
    // Never loaded on this path (the pty runner and Electron), and not bundleable.
    external: ['node-pty', 'electron'],
    // Bundled CommonJS dependencies (electron-log) call require: give the ESM bundle one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
  const bundle = await bundleManagerPlugin(root);
  const keys = await generateSigningKeys({ outDir: join(root, 'keys'), name: 'acme' });
  [v1, v2, v3Broken] = await Promise.all([
    makeFixturePackage(root, bundle, 'kv', '1.0.0', { keys }),
    makeFixturePackage(root, bundle, 'kv', '2.0.0', { keys }),
    makeFixturePackage(root, bundle, 'kv', '3.0.0', { keys, fixture: 'crash-on-start' }),
  ]);
  emptyData = join(root, 'empty-data');
  await new TrustStore(emptyData).add(await readFile(keys.publicKeyFile, 'utf8'), { publisher: 'Acme' });
  installedData = join(root, 'installed-data');
  await cp(emptyData, installedData, { recursive: true });
  const installer = await managerOver(installedData);
  await installer.install(v1);
  await installer.dispose();
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.dispose()));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function managerOver(dataFolder: string): Promise<ExtensionHostManager> {
  const manager = await ExtensionHostManager.create({
    app: { name: 'tether-test', handshake: managerHandshake },
    dataFolder,
    extensionFolders: [],
    logSink: false,
    watch: false,
  });
  managers.push(manager);
  return manager;
}

/** A copy of `template` for one case. */
async function dataFolderFrom(template: string): Promise<string> {
  counter += 1;
  const data = join(root, `case-${counter}`);
  await cp(template, data, { recursive: true });
  return data;
}

/**
 * Runs the child installing `pkg` over `data`, waits until it reports that it stopped at `stop`, and
 * SIGKILLs it. Returns the pid of the extension process it had started, for `handshake`.
 */
async function installAndKill(
  data: string,
  pkg: string,
  stop: Stop,
  force = false,
): Promise<number | undefined> {
  const installer = spawn(process.execPath, [child, data, pkg, stop, ...(force ? ['force'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  installer.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  installer.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => installer.once('exit', () => resolve()));
  let killed = false;
  const line = await Promise.race([
    waitFor(() => new RegExp(`^${stop}\\b.*$`, 'm').exec(output)?.[0], {
      what: () => `the installer to stop at "${stop}" (its output so far: ${JSON.stringify(output)})`,
    }),
    exited.then(() => {
      if (!killed) throw new Error(`The installer exited without stopping at "${stop}": ${output}`);
      return '';
    }),
  ]);
  killed = true;
  installer.kill('SIGKILL');
  await exited;
  const pid = /^handshake (\d+)$/.exec(line)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/** Everything in the install folder, as `name` and `name/child` paths. */
async function layout(installFolder: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(installFolder, { withFileTypes: true }).catch(() => [])) {
    names.push(entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      for (const inner of await readdir(join(installFolder, entry.name)))
        names.push(`${entry.name}/${inner}`);
    }
  }
  return names.sort();
}

const CASES = [
  {
    what: 'a first install (kv 1.0.0)',
    template: () => emptyData,
    pkg: () => v1,
    previous: undefined,
    next: '1.0.0',
    force: false,
  },
  {
    what: 'an upgrade (kv 1.0.0 → 2.0.0)',
    template: () => installedData,
    pkg: () => v2,
    previous: '1.0.0',
    next: '2.0.0',
    force: false,
  },
  {
    what: 'a forced reinstall (kv 1.0.0 again)',
    template: () => installedData,
    pkg: () => v1,
    previous: '1.0.0',
    next: '1.0.0',
    force: true,
  },
] as const;

describe.each(CASES)('SIGKILL of the installer during $what', ({ template, pkg, previous, next, force }) => {
  it.each(STOPS)(
    'at "%s" leaves the previous state or the new one, and the next start cleans up',
    async (stop) => {
      const data = await dataFolderFrom(template());
      const installFolder = join(data, 'extensions');
      const pluginPid = await installAndKill(data, pkg(), stop, force);

      // What the kill left: a staging folder while the installer was inside installPackage.
      const left = await layout(installFolder);
      const staged = left.filter((name) => name.startsWith(STAGING_PREFIX));
      expect(staged.length > 0, `staging folders in ${left.join(', ')}`).toBe(
        STOPS.indexOf(stop) <= LAST_STAGED,
      );

      // An extension process started by the killed installer dies with it (its connection closed).
      if (stop === 'handshake') {
        expect(pluginPid).toBeGreaterThan(0);
        await waitFor(() => !isProcessAlive(pluginPid!), { what: 'the orphaned extension process to exit' });
      }

      const manager = await managerOver(data);
      const switched = STOPS.indexOf(stop) >= SWITCHED_AT;
      const expected = switched ? next : previous;

      // The next start removed every leftover, and said so.
      const after = await layout(installFolder);
      expect(after.filter((name) => name.startsWith(STAGING_PREFIX))).toEqual([]);
      const removed = manager.logStore
        .query({ extension: '(manager)', minLevel: 'warn' })
        .records.filter((record) => /left over by an install that was interrupted/.test(record.message));
      expect(removed.length).toBeGreaterThanOrEqual(staged.length);

      if (expected === undefined) {
        expect(after).toEqual([]);
        expect(manager.list()).toEqual([]);
        return;
      }
      const record = await readActiveRecord(join(installFolder, 'kv'));
      expect(record?.version).toBe(expected);
      // Only the versions active.json names; no temporary file of a pointer switch.
      const kept = [activeFolderName(record!), ...(record!.previous === undefined ? [] : [record!.previous])];
      expect(after).toEqual(['kv', ...[...kept, ACTIVE_RECORD_FILE].sort().map((name) => `kv/${name}`)]);
      // The previous version is kept (as `previous`) only while the new one has not been committed.
      // (A reinstall of the same version keeps no previous: its old copy is just not named any more.)
      const untried = switched && previous !== undefined && previous !== next && stop !== 'committed';
      expect(record!.previous).toBe(untried ? previous : undefined);

      expect(manager.list()).toMatchObject([
        { id: 'kv', version: expected, state: 'stopped', install: { signed: true, publisher: 'Acme' } },
      ]);
      const remote = manager.service('kv', probe);
      expect(await remote.echo(`after a kill at ${stop}`)).toBe(`after a kill at ${stop}`);
      expect(manager.get('kv')).toMatchObject({ state: 'running', version: expected });
    },
  );
});

describe('after a crash', () => {
  it("an untried new version that cannot start is the supervisor's: it fails like any other", async () => {
    const data = await dataFolderFrom(installedData);
    await installAndKill(data, v3Broken, 'activated');
    const manager = await managerOver(data);
    expect(manager.get('kv')).toMatchObject({ version: '3.0.0', state: 'stopped' });
    await expect(manager.service('kv', probe).echo(1)).rejects.toMatchObject({ code: 'PLUGIN_EXITED' });
    expect(manager.get('kv').state).not.toBe('running');
    // The version that worked is still there (as `previous`): a forced install of it brings it back.
    expect(await manager.install(v1, { force: true })).toMatchObject({ version: '1.0.0' });
    expect(await manager.service('kv', probe).echo('back')).toBe('back');
    expect(await layout(join(data, 'extensions'))).toEqual(['kv', 'kv/1.0.0', `kv/${ACTIVE_RECORD_FILE}`]);
  });

  it('installs the version whose install was killed before the switch, as if nothing had happened', async () => {
    const data = await dataFolderFrom(installedData);
    await installAndKill(data, v2, 'moved');
    const manager = await managerOver(data);
    expect(await manager.install(v2)).toMatchObject({ version: '2.0.0', previousVersion: '1.0.0' });
    expect(await layout(join(data, 'extensions'))).toEqual(['kv', 'kv/2.0.0', `kv/${ACTIVE_RECORD_FILE}`]);
  });

  it('a reinstall over an upgrade killed before its commit removes the version it kept', async () => {
    const data = await dataFolderFrom(installedData);
    await installAndKill(data, v2, 'tried');
    const manager = await managerOver(data);
    // 2.0.0 is active with 1.0.0 kept as `previous`; installing 2.0.0 again (forced) commits it at last.
    expect(await manager.install(v2, { force: true })).toMatchObject({ version: '2.0.0' });
    // The reinstalled copy has a folder of its own; the one it replaced and 1.0.0 are gone.
    const record = await readActiveRecord(join(data, 'extensions', 'kv'));
    expect(activeFolderName(record!)).toMatch(/^2\.0\.0\+reinstall\./);
    expect(await layout(join(data, 'extensions'))).toEqual([
      'kv',
      `kv/${activeFolderName(record!)}`,
      `kv/${ACTIVE_RECORD_FILE}`,
    ]);
  });
});
