// The control socket, both halves, in one process: a manager over an empty extensions folder served on it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTetherError } from '@tether/sdk';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { CONTROL_SOCKET_FILE, HOST_PID_FILE } from '../constants.js';
import { connectControlSocket, type ControlConnection } from './control-socket-client.js';
import { ControlSocketServer, serveControlSocket } from './control-socket-server.js';
import { ExtensionHostManager } from './extension-host-manager.js';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';

let root: string;
let data: string;
const cleanup: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-control-'));
  data = join(root, 'data');
  await mkdir(join(root, 'extensions'));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await rm(root, { recursive: true, force: true });
});

async function manager(): Promise<ExtensionHostManager> {
  const created = await ExtensionHostManager.create({
    app: { name: 'tether-test' },
    extensionFolders: [join(root, 'extensions')],
    dataFolder: data,
    logSink: false,
    watch: false,
  });
  cleanup.push(() => created.dispose());
  return created;
}

async function connect(): Promise<ControlConnection> {
  const connection = await connectControlSocket(data);
  cleanup.push(() => connection.dispose());
  return connection;
}

/** A socket file nobody listens on, as a host killed with SIGKILL leaves it. */
function leaveStaleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`;
  const result = spawnSync(process.execPath, ['-e', script], { timeout: 30_000 });
  expect(result.status).toBe(0);
}

describe('the control socket', () => {
  it('serves ManagerApi to clients; host errors arrive with their code', async () => {
    const server = await serveControlSocket(await manager());
    cleanup.push(() => server.close());
    const { api } = await connect();
    expect(await api.list()).toEqual([]);
    const missing = await rejectionOf(api.get('nope'));
    expect(missing.code).toBe('EXTENSION_NOT_FOUND');
    expect(missing.message).toContain('No extension "nope"');
    await waitFor(() => server.connections === 1, { what: 'the server to count the client' });
  });

  it('keeps the folder and the socket private, writes host.pid, and removes both when closed', async () => {
    await mkdir(data, { mode: 0o755 });
    await chmod(data, 0o755);
    const server = await ControlSocketServer.claim(data);
    expect(server.path).toBe(join(data, CONTROL_SOCKET_FILE));
    expect((await stat(data)).mode & 0o777).toBe(0o700);
    const socket = await lstat(server.path);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(await readFile(join(data, HOST_PID_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await server.close();
    expect(existsSync(server.path)).toBe(false);
    expect(existsSync(join(data, HOST_PID_FILE))).toBe(false);
  });

  it('refuses a second host for the same folder, naming the first one’s pid', async () => {
    const first = await ControlSocketServer.claim(data);
    cleanup.push(() => first.close());
    const refused = await rejectionOf(ControlSocketServer.claim(data));
    expect(refused.code).toBe('HOST_ALREADY_RUNNING');
    expect(refused.message).toContain(
      `A tether host is already running with data folder ${data} (pid ${process.pid})`,
    );
    // The first one is untouched.
    expect(existsSync(first.path)).toBe(true);
  });

  it('replaces a socket left by a host that was killed', async () => {
    await mkdir(data, { mode: 0o700 });
    leaveStaleSocket(join(data, CONTROL_SOCKET_FILE));
    const notRunning = await rejectionOf(connectControlSocket(data));
    expect(notRunning.code).toBe('HOST_NOT_RUNNING');
    expect(notRunning.message).toContain('was left by a host that did not exit cleanly');
    const server = await serveControlSocket(await manager());
    cleanup.push(() => server.close());
    expect(await (await connect()).api.list()).toEqual([]);
  });

  it('does not delete a file of that name that is not a socket', async () => {
    await mkdir(data, { mode: 0o700 });
    await writeFile(join(data, CONTROL_SOCKET_FILE), 'not a socket');
    const refused = await rejectionOf(ControlSocketServer.claim(data));
    expect(refused.code).toBe('INVALID_OPTIONS');
    expect(refused.message).toContain('is not a socket');
    expect(await readFile(join(data, CONTROL_SOCKET_FILE), 'utf8')).toBe('not a socket');
  });

  it('says how to start a host when none runs', async () => {
    const error = await rejectionOf(connectControlSocket(data));
    expect(isTetherError(error, 'HOST_NOT_RUNNING')).toBe(true);
    expect(error.message).toBe(
      `No tether host is running for data folder ${data}; start one with "tether host --extensions <dir> --data ${data}".`,
    );
  });

  it('refuses a data folder too deep for a socket path', async () => {
    const deep = join(root, 'd'.repeat(120));
    const error = await rejectionOf(ControlSocketServer.claim(deep));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('too deep for a control socket');
  });

  it('disconnects its clients when closed: their later calls fail with CONNECTION_CLOSED', async () => {
    const server = await serveControlSocket(await manager());
    const connection = await connect();
    await connection.api.list();
    await server.close();
    await waitFor(() => connection.peer.closed, { what: 'the client to see the connection close' });
    expect((await rejectionOf(connection.api.list())).code).toBe('CONNECTION_CLOSED');
  });
});
