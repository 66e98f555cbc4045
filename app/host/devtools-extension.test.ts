// The DevTools extension the Electron app loads: a private copy of the bundle with its connection.json, and
// an id that depends on the manifest's key only.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../sdk/src/test-support/rejection-of.js';
import { DEVTOOLS_EXTENSION_KEY, devtoolsManifest } from '../renderer/devtools-manifest.js';
import {
  DEVTOOLS_CONNECTION_FILE,
  devtoolsExtensionOrigin,
  extensionIdOf,
  prepareDevtoolsExtension,
} from './devtools-extension.js';

/** The extension's id as Chrome derives it from the manifest's key (checked in a real Chromium by
 * test/browser/devtools-panel.browser.test.ts, where the browser can load extensions). */
const DEVTOOLS_EXTENSION_ID = 'nbkdkdgbjfoiiolkjpagioajppcmlfml';

let root: string;
let bundle: string;
const connection = { url: 'ws://127.0.0.1:4100/ws', token: 'tok-tok-tok-tok-tok' };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-devtools-test-'));
  bundle = join(root, 'dist');
  await mkdir(join(bundle, 'assets'), { recursive: true });
  await writeFile(join(bundle, 'manifest.json'), JSON.stringify(devtoolsManifest('1.2.3')));
  await writeFile(join(bundle, 'panel.html'), '<!doctype html><title>panel</title>');
  await writeFile(join(bundle, 'assets', 'panel-x.js'), 'export {};');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('extensionIdOf', () => {
  it('is Chrome’s id of the key: SHA-256, 32 hex digits written a–p', () => {
    expect(extensionIdOf(DEVTOOLS_EXTENSION_KEY)).toBe(DEVTOOLS_EXTENSION_ID);
    expect(extensionIdOf(Buffer.from('x').toString('base64'))).toMatch(/^[a-p]{32}$/);
  });
});

describe('prepareDevtoolsExtension', () => {
  it('copies the bundle into a private folder with the connection, readable by its owner only', async () => {
    await using prepared = await prepareDevtoolsExtension({ bundle, ...connection, parentFolder: root });
    expect(prepared.id).toBe(DEVTOOLS_EXTENSION_ID);
    expect(prepared.origin).toBe(`chrome-extension://${DEVTOOLS_EXTENSION_ID}`);
    expect(await devtoolsExtensionOrigin(bundle)).toBe(prepared.origin);
    expect((await readdir(prepared.folder)).sort()).toEqual(
      ['assets', DEVTOOLS_CONNECTION_FILE, 'manifest.json', 'panel.html'].sort(),
    );
    expect(await readFile(join(prepared.folder, 'assets', 'panel-x.js'), 'utf8')).toBe('export {};');
    const file = join(prepared.folder, DEVTOOLS_CONNECTION_FILE);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(connection);
    if (process.platform !== 'win32') {
      expect((await stat(prepared.folder)).mode & 0o777).toBe(0o700);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    }
    // The bundle itself is left without a connection.
    expect(await readdir(bundle)).not.toContain(DEVTOOLS_CONNECTION_FILE);
  });

  it('points the panel at another host, whole file at once; dispose removes the folder, twice is fine', async () => {
    const prepared = await prepareDevtoolsExtension({ bundle, ...connection, parentFolder: root });
    const next = { url: 'ws://127.0.0.1:4200/ws', token: 'another-token-value' };
    await prepared.connectTo(next);
    const file = join(prepared.folder, DEVTOOLS_CONNECTION_FILE);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(next);
    expect(await readdir(prepared.folder)).not.toContain(`${DEVTOOLS_CONNECTION_FILE}.partial`);
    expect((await rejectionOf(prepared.connectTo({ url: 'http://x/', token: 't' }))).code).toBe(
      'INVALID_OPTIONS',
    );
    await Promise.all([prepared.dispose(), prepared.dispose()]);
    await expect(stat(prepared.folder)).rejects.toThrow();
  });

  it('refuses a bundle built before the panel existed, saying how to rebuild; leaves nothing behind', async () => {
    await rm(join(bundle, 'manifest.json'));
    const error = await rejectionOf(prepareDevtoolsExtension({ bundle, ...connection, parentFolder: root }));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('npm run build -w app');
    await writeFile(join(bundle, 'manifest.json'), JSON.stringify({ manifest_version: 3 }));
    expect((await rejectionOf(devtoolsExtensionOrigin(bundle))).message).toMatch(/has no key/);
    expect((await readdir(root)).sort()).toEqual(['dist']);
  });

  it('refuses a connection that is not a WebSocket URL and a token', async () => {
    for (const wrong of [
      { url: 'http://127.0.0.1:4100/', token: 't' },
      { url: 'ws://127.0.0.1:4100/ws?token=t', token: 't' },
      { url: 'ws://127.0.0.1:4100/ws', token: '' },
    ]) {
      const error = await rejectionOf(prepareDevtoolsExtension({ bundle, ...wrong, parentFolder: root }));
      expect(error.code).toBe('INVALID_OPTIONS');
    }
    expect(await readdir(root)).toEqual(['dist']);
  });
});
