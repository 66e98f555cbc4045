// The DevTools panel of the app's development builds: its web host lets the panel's origin in (with the
// token), its copy of the bundle says where that host is, and disposing takes both down.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtensionHostManager } from '@tether/extension-host';
import { connectWebUi } from '../../extension-host/src/web/test-fixtures/web-ui-client.js';
import { rejectionOf } from '../../sdk/src/test-support/rejection-of.js';
import { DEVTOOLS_CONNECTION_FILE } from '../host/devtools-extension.js';
import { devtoolsManifest } from '../renderer/devtools-manifest.js';
import { startDevtoolsPanel } from './devtools-panel.js';

let root: string;
let bundle: string;
let manager: ExtensionHostManager;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-devtools-panel-'));
  bundle = path.join(root, 'dist');
  await mkdir(bundle);
  await writeFile(path.join(bundle, 'index.html'), '<!doctype html><title>Tether</title>');
  await writeFile(path.join(bundle, 'panel.html'), '<!doctype html><title>panel</title>');
  await writeFile(path.join(bundle, 'manifest.json'), JSON.stringify(devtoolsManifest('0.1.0')));
  manager = await ExtensionHostManager.create({
    app: { name: 'tether-test' },
    dataFolder: path.join(root, 'data'),
    logSink: false,
    watch: false,
  });
});
afterEach(async () => {
  await manager.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('startDevtoolsPanel', () => {
  it('serves ManagerApi to the panel’s origin and loads a copy that says where', async () => {
    const loaded: string[] = [];
    const panel = await startDevtoolsPanel({
      manager,
      bundle,
      parentFolder: root,
      loadExtension: (folder) => Promise.resolve(loaded.push(folder)),
    });
    try {
      expect(loaded).toHaveLength(1);
      const connection = JSON.parse(
        await readFile(path.join(loaded[0]!, DEVTOOLS_CONNECTION_FILE), 'utf8'),
      ) as {
        url: string;
        token: string;
      };
      expect(panel.url).toContain(`?token=${connection.token}`);
      expect(connection.url).toBe(`ws://${new URL(panel.url).host}/ws`);
      const ui = await connectWebUi(panel.url, { origin: panel.origin });
      expect(await ui.api.list()).toEqual([]);
      ui.dispose();
      // Another extension's origin is not let in.
      expect(
        await rejectionOf(connectWebUi(panel.url, { origin: 'chrome-extension://abcdefghijklmnop' })),
      ).toBeDefined();
    } finally {
      await panel.dispose();
    }
    expect(existsSync(loaded[0]!)).toBe(false);
    expect(await rejectionOf(connectWebUi(panel.url, { origin: panel.origin }))).toBeDefined();
  });

  it('takes everything down again when the extension does not load, and says why', async () => {
    const error = await rejectionOf(
      startDevtoolsPanel({
        manager,
        bundle,
        parentFolder: root,
        loadExtension: () => Promise.reject(new Error('extensions are off')),
      }),
    );
    expect((error as Error).message).toBe('extensions are off');
    expect((await readdir(root)).filter((name) => name.startsWith('tether-devtools-'))).toEqual([]);
  });

  it('refuses a bundle that is not a DevTools extension', async () => {
    await rm(path.join(bundle, 'manifest.json'));
    const error = await rejectionOf(
      startDevtoolsPanel({ manager, bundle, loadExtension: () => Promise.resolve() }),
    );
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
