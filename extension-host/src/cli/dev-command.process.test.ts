// `tether dev` as a real process (bin/tether.js) on the manager's fixture extension: it serves the UI, lists
// the extension and starts it; an edit restarts it; SIGTERM stops it all and deletes its data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import type { ExtensionStateChange } from '../manager/extension-state.js';
import { ManagerTestbed } from '../manager/test-fixtures/manager-testbed.js';
import {
  WEB_UI_URL_PATTERN,
  connectWebUi,
  writeTinyUi,
  type WebUiClient,
} from '../web/test-fixtures/web-ui-client.js';

const bin = fileURLToPath(new URL('../../bin/tether.js', import.meta.url));
const ID = '@acme/dev';
/** Node + tsx (the CLI from source), then the manager and the first start: generous for a loaded machine. */
const DEV_START_MS = 50_000;

let bed: ManagerTestbed;
let extensionDir: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let ui: WebUiClient;

function printed(): string {
  return `tether dev printed:\n${stdout}${stderr}`;
}

beforeAll(async () => {
  bed = await ManagerTestbed.create();
  extensionDir = await bed.addExtension({ name: ID });
  const uiRoot = await writeTinyUi(join(bed.root, 'ui'));
  child = spawn(
    process.execPath,
    [bin, 'dev', extensionDir, '--no-open', '--port', '0', '--ui-root', uiRoot],
    {
      env: { ...process.env, TETHER_LOG_DIR: join(bed.root, 'logs') },
    },
  );
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await waitFor(() => WEB_UI_URL_PATTERN.exec(stdout)?.[0], {
    what: () => `the UI's URL; ${printed()}`,
    timeoutMs: DEV_START_MS,
    intervalMs: 20,
  });
  ui = await connectWebUi(url);
});

afterAll(async () => {
  ui?.dispose();
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  await bed.dispose();
});

describe('tether dev (a real process)', () => {
  it('lists the extension through the web UI and starts it', async () => {
    const [listed, ...others] = await ui.api.list();
    expect(others).toEqual([]);
    expect(listed).toMatchObject({ id: ID, version: '1.0.0' });
    await waitFor(async () => (await ui.api.get(ID)).state === 'running', {
      what: () => `${ID} to be running; ${printed()}`,
      intervalMs: 20,
    });
    expect(stdout).toMatch(/tether dev: @acme\/dev 1\.0\.0 from .*; restarted when its files change\./);
  });

  it('restarts it when one of its files changes', async () => {
    const before = (await ui.api.get(ID)).pid;
    const changes: ExtensionStateChange[] = [];
    const subscription = ui.api.onDidChangeState((change) => void changes.push(change));
    await ui.api.list(); // a round trip: the subscription has reached the host
    await writeFile(join(extensionDir, 'notes.txt'), 'an edit\n');
    await waitFor(() => changes.some((change) => change.from === 'starting' && change.to === 'running'), {
      what: () =>
        `${ID} to be restarted; changes seen: ${JSON.stringify(changes.map((c) => c.to))}; ${printed()}`,
      intervalMs: 20,
    });
    expect(changes.map((change) => change.to)).toEqual(['stopping', 'stopped', 'starting', 'running']);
    const after = (await ui.api.get(ID)).pid;
    expect(after).not.toBe(before);
    expect(stdout).toContain(`notes.txt changed; restarting ${ID}.`);
    subscription.dispose();
  });

  it('SIGTERM stops the extension, disconnects the UI and deletes the data folder', async () => {
    const { pid } = await ui.api.get(ID);
    const dataFolder = /its data folder, deleted at the end: (\S+) /.exec(stdout)?.[1];
    expect(dataFolder).toBeDefined();
    expect(existsSync(dataFolder!)).toBe(true);
    const closed = new Promise<void>((resolve) => ui.peer.onDidClose(() => resolve()));
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    await closed;
    expect(pid !== undefined && isProcessAlive(pid)).toBe(false);
    expect(existsSync(dataFolder!)).toBe(false);
    expect(stdout).toMatch(/tether dev: stopping 1 running extension…\n(.*\n)*.*tether dev: stopped\.\n$/);
    // Only the extension's own output (mirrored, prefixed with its name): nothing failed.
    expect(stderr.split('\n').filter((line) => line !== '' && !line.startsWith(`[${ID}] `))).toEqual([]);
  });
});
