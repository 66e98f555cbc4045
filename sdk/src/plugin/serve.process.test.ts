// serve() in a real plugin process: run by hand, and started by a host that listens on a Unix socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MuxSession } from '../mux/mux-session.js';
import { RpcPeer } from '../rpc/rpc-peer.js';
import { listenUnixSocket } from '../transport/node/unix-socket.js';
import { performHostHandshake } from './host-handshake.js';
import { greeter, handshake } from './test-fixtures/contract.js';

const fixture = fileURLToPath(new URL('./test-fixtures/serve-fixture.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startPlugin(
  env: Record<string, string>,
  detached = false,
): {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<Exit>;
} {
  const base = { ...process.env };
  delete base.TETHER_SOCKET;
  delete base[handshake.cookieKey];
  const child = spawn(process.execPath, ['--conditions=tether-source', '--import', tsxLoader, fixture], {
    env: { ...base, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached, // a process-group leader, as the host's runners start plugins
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stderr: () => stderr, exited };
}

async function startHosted(env: Record<string, string> = {}, detached = false) {
  const dir = await mkdtemp(join(tmpdir(), 'tether-serve-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const listener = await listenUnixSocket(join(dir, 'plugin.sock'));
  cleanups.push(() => listener.close());
  const plugin = startPlugin(
    {
      TETHER_SOCKET: listener.path,
      [handshake.cookieKey]: handshake.cookieValue,
      TETHER_HOST_PID: String(process.pid),
      ...env,
    },
    detached,
  );
  const session = new MuxSession(await listener.accept(), { role: 'initiator' });
  const result = performHostHandshake(session, {
    cookie: { key: handshake.cookieKey, value: handshake.cookieValue },
    versions: [1],
    timeoutMs: 15_000,
  });
  const peer = new RpcPeer(session, { peerName: 'the plugin' });
  cleanups.push(() => peer.dispose());
  return { plugin, peer, started: await result };
}

describe('serve() in a real process', () => {
  it('run by hand (no TETHER_SOCKET) it prints the friendly message and exits 1', async () => {
    const plugin = startPlugin({});
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    expect(plugin.stderr()).toContain(
      'This is a Tether plugin; it is started by an app that uses it, not run directly.',
    );
    // A command that exists (extension-host/src/cli/dev-command.ts).
    expect(plugin.stderr()).toContain('try it now with `tether dev <its folder>`');
  });

  it('started by a host: the handshake completes, a call works, and it exits by itself when the host goes', async () => {
    const { plugin, peer, started } = await startHosted();
    expect(started).toMatchObject({ version: 1, services: ['greeter'], pluginPid: plugin.child.pid });
    expect(await peer.remote(greeter).greet('Ada')).toBe('Hello, Ada!');
    const killedAt = Date.now();
    peer.dispose(); // the host's side disappears without a STOP
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    // A generous bound, not a figure (a loaded machine is slow): the plugin does not wait for a long deadline.
    expect(Date.now() - killedAt).toBeLessThan(5_000);
  });

  it('issue-10: a plugin whose host died writes its last line into a closed pipe and still takes its group', async () => {
    // The "host" of the handshake is this test; the host the plugin watches (TETHER_HOST_PID) is a sleep,
    // killed while the plugin waits for the death to show after the connection ended without a GOAWAY.
    const fakeHost = spawn('sleep', ['60'], { stdio: 'ignore' });
    cleanups.push(() => void fakeHost.kill('SIGKILL'));
    const { plugin, peer } = await startHosted({ TETHER_HOST_PID: String(fakeHost.pid) }, true);
    plugin.child.stderr!.destroy(); // nobody reads its stderr any more: its next write fails with EPIPE
    peer.dispose(); // the connection ends as a killed host's does: no GOAWAY
    // The host's death shows a little after the end of its connection, as on a loaded machine.
    setTimeout(() => fakeHost.kill('SIGKILL'), 200);
    // It SIGKILLed its own process group, itself included; before, the EPIPE of its "the host is gone"
    // line was an uncaught exception and it died with code 1, leaving its group behind.
    expect(await plugin.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('STOP: onStop runs and the plugin exits 0', async () => {
    const { plugin, started } = await startHosted();
    started.control.requestStop(2_000);
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(plugin.stderr()).toContain('onStop ran');
  });
});
