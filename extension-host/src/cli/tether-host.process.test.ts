// `tether host` as a real process (bin/tether.js), with the manager's fixture extension in its folder, and
// the commands that talk to it — list, start/stop/restart, exec, logs --follow, install/uninstall — run in
// this process through main(), as the terminal would run them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '@tether/sdk/wire';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { CONTROL_SOCKET_FILE, HOST_PID_FILE } from '../constants.js';
import { generateSigningKeys } from '../install/generate-signing-keys.js';
import { makeFixturePackage } from '../install/test-fixtures/fixture-packages.js';
import { TrustStore } from '../install/trust-store.js';
import type { ExtensionSnapshot } from '../manager/extension-state.js';
import { ManagerTestbed, bundleManagerPlugin } from '../manager/test-fixtures/manager-testbed.js';
import { main } from './main.js';

const bin = fileURLToPath(new URL('../../bin/tether.js', import.meta.url));
const PROBE = '@acme/probe';
/** Node + tsx (the CLI from source), then the manager: generous for a loaded 2-core machine. */
const HOST_START_MS = 50_000;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tether <argv>` in this process, its output captured. */
async function tether(argv: readonly string[], signal?: AbortSignal): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    ...(signal === undefined ? {} : { signal }),
  });
  return { code, stdout, stderr };
}

class HostProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [bin, 'host', ...args], { env });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Waits for a line of the host's output to match `pattern`. */
  async sees(pattern: RegExp, what: string, timeoutMs?: number): Promise<void> {
    await waitFor(() => pattern.test(this.stdout), {
      what: () => `${what}; the host printed:\n${this.stdout}${this.stderr}`,
      intervalMs: 20,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  }
}

let bed: ManagerTestbed;
let host: HostProcess;
let dataArgs: string[];

async function snapshot(id: string): Promise<ExtensionSnapshot> {
  const { code, stdout, stderr } = await tether(['list', '--json', ...dataArgs]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(stdout) as ExtensionSnapshot[]).find((e) => e.id === id)!;
}

beforeAll(async () => {
  bed = await ManagerTestbed.create();
  await bed.addExtension({
    name: PROBE,
    commands: [
      { id: 'probe.add', title: 'Add two numbers' },
      { id: 'probe.fail', title: 'Always fails' },
    ],
  });
  await bed.addExtension({ name: 'broken', tether: { entry: 42, runner: 'node' } });
  dataArgs = ['--data', bed.data];
  // Log files of the hosts (the child's and the one run in this process) stay in the testbed.
  process.env['TETHER_LOG_DIR'] = join(bed.root, 'logs');
  host = new HostProcess(['--extensions', bed.extensions, ...dataArgs], {
    ...process.env,
    TETHER_LOG_DIR: join(bed.root, 'logs'),
  });
  await host.sees(/tether host: listening on /, 'the host to listen', HOST_START_MS);
});

afterAll(async () => {
  if (host.child.exitCode === null && host.child.signalCode === null) {
    host.child.kill('SIGKILL');
    await host.exited;
  }
  delete process.env['TETHER_LOG_DIR'];
  await bed.dispose();
});

describe('tether host (a real process) and the commands that talk to it', () => {
  it('prints each extension at start, and listens on the data folder’s control socket', async () => {
    expect(host.stdout).toMatch(/^\d\d:\d\d:\d\d tether host: 2 extensions in /m);
    expect(host.stdout).toMatch(/^\d\d:\d\d:\d\d @acme\/probe 1\.0\.0 stopped$/m);
    expect(host.stdout).toMatch(/^\d\d:\d\d:\d\d broken 1\.0\.0 invalid: .*entry/m);
    expect(host.stdout).toContain(`listening on ${join(bed.data, CONTROL_SOCKET_FILE)}`);
    expect(await readFile(join(bed.data, HOST_PID_FILE), 'utf8')).toBe(`${host.child.pid}\n`);
  });

  it('list: a table, and JSON', async () => {
    const table = await tether(['list', ...dataArgs]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+VERSION\s+STATE\s+PID\s+RESTARTS\s+PUBLISHER\s+SIGNATURE\s+LAST ERROR$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^@acme\/probe\s+1\.0\.0\s+stopped\s+-\s+0\s+-\s+dev folder$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^broken\s+1\.0\.0\s+invalid\s+-\s+0\s+-\s+dev folder\s+.*entry/),
    );
    expect(await snapshot(PROBE)).toMatchObject({ id: PROBE, state: 'stopped', restarts: 0 });
  });

  it('start, stop, restart: each prints the new state, and the host prints every change', async () => {
    const started = await tether(['start', PROBE, ...dataArgs]);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const { pid } = await snapshot(PROBE);
    expect(started.stdout).toBe(`${PROBE}: running (pid ${pid})\n`);
    await host.sees(/@acme\/probe stopped → starting\n.*@acme\/probe starting → running/, 'the start');

    expect(await tether(['stop', PROBE, ...dataArgs])).toEqual({
      code: 0,
      stdout: `${PROBE}: stopped\n`,
      stderr: '',
    });
    expect(isProcessAlive(pid!)).toBe(false);
    await host.sees(/@acme\/probe running → stopping\n.*@acme\/probe stopping → stopped/, 'the stop');

    const restarted = await tether(['restart', PROBE, ...dataArgs]);
    expect(restarted.stdout).toMatch(/^@acme\/probe: running \(pid \d+\)\n$/);
  });

  it('exec runs a contributed command on the host and prints its result; a failure keeps its code', async () => {
    expect(await tether(['exec', 'probe.add', '2', '3', ...dataArgs])).toEqual({
      code: 0,
      stdout: '5\n',
      stderr: '',
    });
    expect((await tether(['exec', 'probe.add', '0.5', '1', '--json', ...dataArgs])).stdout).toBe('1.5\n');
    expect(await tether(['exec', 'probe.fail', ...dataArgs])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tether: probe.fail failed: TetherError [INVALID_ARGUMENT]: probe.fail always fails\n',
    });
    const unknown = await tether(['exec', 'probe.ad', ...dataArgs]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^tether: probe\.ad failed: \w+ \[COMMAND_NOT_FOUND\]: .*probe\.add, probe\.fail/,
    );
  });

  it('errors from the host keep their code and message', async () => {
    const missing = await tether(['stop', 'nope', ...dataArgs]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^tether: stop nope failed: \w+ \[EXTENSION_NOT_FOUND\]: No extension "nope" in .*Installed: /,
    );
    const invalid = await tether(['start', 'broken', ...dataArgs]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^tether: start broken failed: \w+ \[EXTENSION_INVALID\]: /);
  });

  it('logs --follow prints the records the host holds, then live ones, until stopped', async () => {
    const controller = new AbortController();
    let out = '';
    let err = '';
    const following = main(['logs', PROBE, '--follow', ...dataArgs], {
      stdout: { write: (text: string) => void (out += text) },
      stderr: { write: (text: string) => void (err += text) },
      signal: controller.signal,
    });
    // Each start of the fixture logs `starting {"mode":"ok"}`; it has started twice so far (start, restart).
    const starts = (): number =>
      out.match(/^\S+Z INFO {2}\[[^\]]*\] starting \{"mode":"ok"\}$/gm)?.length ?? 0;
    await waitFor(() => starts() >= 2, { what: () => `the history; got:\n${out}${err}` });
    expect(await tether(['restart', PROBE, ...dataArgs])).toMatchObject({ code: 0 });
    await waitFor(() => starts() >= 3, { what: () => `the live record of the restart; got:\n${out}${err}` });
    controller.abort();
    expect(await following).toBe(0);
    expect(err).toBe('');
  });

  it('install and uninstall go through the host: its manager has the extension at once', async () => {
    const work = join(bed.root, 'work');
    await mkdir(work);
    const bundle = await bundleManagerPlugin(work);
    const acme = await generateSigningKeys({ outDir: join(work, 'keys'), name: 'acme' });
    await new TrustStore(bed.data).add(await readFile(acme.publicKeyFile, 'utf8'), { publisher: 'Acme' });
    const kv = await makeFixturePackage(work, bundle, 'kv', '1.0.0', { keys: acme });
    const loose = await makeFixturePackage(work, bundle, 'loose', '1.0.0');

    // Refused by the host: the code comes back through the progress stream.
    const refused = await tether(['install', loose, ...dataArgs]);
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^verifying the signature…\ntether: \w+ \[NOT_SIGNED\]: .*is not signed/);

    expect(await tether(['install', kv, ...dataArgs])).toEqual({
      code: 0,
      stdout: `installed kv@1.0.0 (signed by Acme ${acme.keyId})\n`,
      stderr: 'verifying the signature…\nunpacking…\nputting it in place…\nstarting it once to try it…\n',
    });
    await host.sees(/ kv 1\.0\.0 stopped \(found\)\n/, 'the host to list kv');
    const lines = (await tether(['list', ...dataArgs])).stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^kv\s+1\.0\.0\s+stopped\s+-\s+0\s+Acme\s+signed$/));
    expect(await snapshot('kv')).toMatchObject({
      install: { signed: true, keyId: acme.keyId, publisher: 'Acme', installedAt: expect.any(Number) },
    });
    expect((await tether(['install', loose, '--allow-unsigned', ...dataArgs])).stdout).toBe(
      'installed loose@1.0.0 (UNSIGNED — development only)\n',
    );
    expect((await tether(['list', ...dataArgs])).stdout).toMatch(
      /^loose\s+1\.0\.0\s+stopped\s+-\s+0\s+-\s+unsigned$/m,
    );

    // Uninstalling a running extension stops it; --purge deletes the log files the host wrote.
    expect(await tether(['start', 'kv', ...dataArgs])).toMatchObject({ code: 0 });
    const { pid } = await snapshot('kv');
    expect(existsSync(join(bed.root, 'logs', 'kv.log'))).toBe(true);
    expect(await tether(['uninstall', 'kv', '--purge', ...dataArgs])).toEqual({
      code: 0,
      stdout: 'uninstalled kv, and deleted its log files\n',
      stderr: '',
    });
    expect(isProcessAlive(pid!)).toBe(false);
    expect(existsSync(join(bed.root, 'logs', 'kv.log'))).toBe(false);
    await host.sees(/ kv removed\n/, 'the host to drop kv');
    expect(await tether(['uninstall', 'loose', ...dataArgs])).toMatchObject({ code: 0 });
    expect(existsSync(join(bed.root, 'logs', 'loose.log'))).toBe(true);
    // An extension in a folder the host was given is not the host's to delete.
    const dev = await tether(['uninstall', PROBE, ...dataArgs]);
    expect(dev.code).toBe(1);
    expect(dev.stderr).toMatch(
      /^tether: \w+ \[INVALID_ARGUMENT\]: Extension "@acme\/probe" was not installed by this app/,
    );
  });

  it('a second host for the same data folder is refused, naming the running one', async () => {
    const second = await tether(['host', '--extensions', bed.extensions, ...dataArgs]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `tether: A tether host is already running with data folder ${bed.data} (pid ${host.child.pid})`,
    );
  });

  it('SIGTERM stops every extension, removes the socket and exits 0; then the commands say no host runs', async () => {
    const { pid } = await snapshot(PROBE);
    expect(isProcessAlive(pid!)).toBe(true);
    let followed = '';
    const following = main(['logs', PROBE, '--follow', ...dataArgs], {
      stdout: { write: (text: string) => void (followed += text) },
      stderr: { write: (text: string) => void (followed += text) },
      signal: new AbortController().signal, // never aborted: the host's going away ends it
    });
    await waitFor(() => followed.includes('starting'), { what: () => `the history; got:\n${followed}` });
    host.child.kill('SIGTERM');
    expect(await host.exited).toEqual({ code: 0, signal: null });
    // A follower is told that the host went away.
    expect(await following).toBe(1);
    expect(followed).toContain(`tether: the tether host of ${bed.data} stopped`);
    expect(isProcessAlive(pid!)).toBe(false);
    // A line per extension it stops (running → stopping → stopped), then the last line.
    expect(host.stdout).toMatch(
      /tether host: stopping 1 running extension…\n.* running → stopping\n.* stopping → stopped\n.*tether host: stopped\.\n$/,
    );
    expect(existsSync(join(bed.data, CONTROL_SOCKET_FILE))).toBe(false);
    expect(existsSync(join(bed.data, HOST_PID_FILE))).toBe(false);
    const list = await tether(['list', ...dataArgs]);
    expect(list).toEqual({
      code: 1,
      stdout: '',
      stderr: `tether: No tether host is running for data folder ${bed.data}; start one with "tether host --extensions <dir> --data ${bed.data}".\n`,
    });
  });

  it('a host replaces the socket a killed host left (in-process this time)', async () => {
    const script = `require('node:net').createServer().listen(${JSON.stringify(join(bed.data, CONTROL_SOCKET_FILE))}, () => process.exit(0))`;
    expect(spawnSync(process.execPath, ['-e', script], { timeout: 30_000 }).status).toBe(0);
    expect((await tether(['list', ...dataArgs])).stderr).toContain(
      'was left by a host that did not exit cleanly',
    );
    const controller = new AbortController();
    let out = '';
    const running = main(['host', '--extensions', bed.extensions, ...dataArgs], {
      stdout: { write: (text: string) => void (out += text) },
      stderr: { write: (text: string) => void (out += text) },
      signal: controller.signal,
    });
    await waitFor(() => out.includes('tether host: listening on'), {
      what: () => `the host to listen; got:\n${out}`,
    });
    expect(await tether(['start', PROBE, ...dataArgs])).toMatchObject({ code: 0 });
    const { pid } = await snapshot(PROBE);
    controller.abort();
    expect(await running).toBe(0);
    expect(isProcessAlive(pid!)).toBe(false);
    expect(existsSync(join(bed.data, CONTROL_SOCKET_FILE))).toBe(false);
  });
});
