// `npm start`'s host as a real process, twice on one data folder: the first run installs the samples (signed,
// verified), the UI lists them over the WebSocket, SIGTERM stops everything; the second run installs nothing.
// The real UI bundle is not needed: a one-page bundle is served instead (--ui-root).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '@tether/sdk/wire';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import {
  WEB_UI_URL_PATTERN,
  connectWebUi,
  writeTinyUi,
  type WebUiClient,
} from '../../extension-host/src/web/test-fixtures/web-ui-client.js';
import { SAMPLES_MARKER_FILE } from './install-samples.js';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const startScript = fileURLToPath(new URL('./start.ts', import.meta.url));
/** tsx, the manager, and on the first run six samples bundled, packed, signed and tried: a loaded machine. */
const FIRST_START_MS = 180_000;
const SAMPLES = [
  '@tether-samples/05-tty',
  '@tether-samples/bidirectional',
  '@tether-samples/greeter',
  '@tether-samples/kv',
  '@tether-samples/notes',
  '@tether-samples/streaming',
];

let root: string;
let data: string;
let uiRoot: string;

class AppProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `viaShell`: as npm runs it, through `sh -c` (which stays in between: it runs a second command). */
  constructor(viaShell = false) {
    const env: NodeJS.ProcessEnv = { ...process.env, TETHER_LOG_DIR: join(root, 'logs') };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const args = [
      '--conditions=tether-source',
      '--import',
      'tsx',
      startScript,
      '--data',
      data,
      '--no-open',
      '--port',
      '0',
      '--ui-root',
      uiRoot,
    ];
    this.child = viaShell
      ? spawn('/bin/sh', ['-c', '"$0" "$@"; exit $?', process.execPath, ...args], {
          cwd: repositoryRoot,
          env,
        })
      : spawn(process.execPath, args, { cwd: repositoryRoot, env });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** The UI's URL, once printed. */
  url(timeoutMs: number): Promise<string> {
    return waitFor(() => WEB_UI_URL_PATTERN.exec(this.stdout)?.[0], {
      what: () => `the app's URL; it printed:\n${this.stdout}${this.stderr}`,
      timeoutMs,
      intervalMs: 50,
    });
  }

  kill(): Promise<unknown> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }
}

const started: AppProcess[] = [];
const clients: WebUiClient[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-start-'));
  data = join(root, 'data');
  uiRoot = await writeTinyUi(join(root, 'ui'));
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await Promise.all(started.map((app) => app.kill()));
  await rm(root, { recursive: true, force: true });
});

async function start(viaShell = false): Promise<{ app: AppProcess; ui: WebUiClient }> {
  const app = new AppProcess(viaShell);
  started.push(app);
  const ui = await connectWebUi(await app.url(FIRST_START_MS));
  clients.push(ui);
  return { app, ui };
}

describe('npm start (app/host/start.ts, a real process)', () => {
  it(
    'first run: installs every sample signed by the data folder’s own key; SIGTERM stops it all',
    async () => {
      const { app, ui } = await start();
      expect(app.stdout).toContain("Electron's binary is not installed, so the app runs in your browser.");
      const list = await ui.api.list();
      expect(list.map((extension) => extension.id).sort()).toEqual(SAMPLES);
      for (const extension of list) {
        expect(extension.install).toMatchObject({ signed: true, publisher: 'Tether samples' });
        expect(extension.state).toBe('stopped');
      }
      expect(app.stdout).toContain('installed @tether-samples/greeter 0.1.0 (signed by Tether samples)');
      const marker = JSON.parse(await readFile(join(data, SAMPLES_MARKER_FILE), 'utf8')) as {
        samples: { id: string; problem?: string }[];
      };
      expect(marker.samples.filter((sample) => sample.problem !== undefined)).toEqual([]);

      // One running extension, so that SIGTERM has something to stop.
      await ui.api.start('@tether-samples/greeter');
      const { pid } = await ui.api.get('@tether-samples/greeter');
      expect(pid !== undefined && isProcessAlive(pid)).toBe(true);
      const disconnected = new Promise<void>((resolve) => ui.peer.onDidClose(() => resolve()));
      app.child.kill('SIGTERM');
      expect(await app.exited).toEqual({ code: 0, signal: null });
      await disconnected;
      expect(isProcessAlive(pid!)).toBe(false);
      expect(isProcessAlive(app.child.pid!)).toBe(false);
      expect(existsSync(join(data, 'control.sock'))).toBe(false);
      expect(app.stdout).toMatch(
        /tether app: stopping 1 running extension…\n(.*\n)*.*tether app: stopped\.\n$/,
      );
    },
    FIRST_START_MS + 60_000,
  );

  it(
    'second run: installs nothing again, lists the same samples; Ctrl-C stops it',
    async () => {
      const { app, ui } = await start();
      expect(app.stdout).not.toContain('first run');
      expect(app.stdout).not.toContain('installed @tether-samples');
      expect((await ui.api.list()).map((extension) => extension.id).sort()).toEqual(SAMPLES);
      app.child.kill('SIGINT');
      expect(await app.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(join(data, 'control.sock'))).toBe(false);
    },
    FIRST_START_MS,
  );

  // Skipped on Windows: npm runs scripts through cmd.exe there, and there is no SIGTERM to pass on.
  it.skipIf(process.platform === 'win32')(
    'run as npm runs it (npm → sh → node): SIGTERM kills only the shell; the host sees it go and stops',
    async () => {
      const { app } = await start(true);
      const hostPid = Number.parseInt(await readFile(join(data, 'host.pid'), 'utf8'), 10);
      expect(hostPid).not.toBe(app.child.pid);
      app.child.kill('SIGTERM'); // what npm does: the signal reaches sh, not node
      expect((await app.exited).signal).toBe('SIGTERM');
      await waitFor(() => !isProcessAlive(hostPid), {
        what: () => `the orphaned host to stop; it printed:\n${app.stdout}${app.stderr}`,
        intervalMs: 50,
      });
      expect(app.stdout).toContain('the process that started it (npm) went away; stopping.');
      await waitFor(() => app.stdout.includes('tether app: stopped.'), { what: 'its last line' });
      expect(existsSync(join(data, 'control.sock'))).toBe(false);
    },
    FIRST_START_MS,
  );
});
