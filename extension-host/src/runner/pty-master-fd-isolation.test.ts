// The pty master stays out of the host (node-pty 1.1.0 leaves it inheritable, microsoft/node-pty#657): the
// host holds no /dev/ptmx descriptor, and no process it starts while a pty plugin runs — a plain child, or
// another pty plugin — inherits access to that plugin's terminal. And the broker that owns the master
// does not outlive a host that dies: the plugin's process group goes with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { isRunning } from '../client/test-fixtures/is-running.js';
import { PluginClient } from '../client/plugin-client.js';
import { LogStore } from '../logging/log-store.js';
import { PtyRunner, type LaunchedTerminalPlugin } from './pty-runner.js';
import {
  FIXTURE_START_TIMEOUT_MS,
  FIXTURE_NODE_ARGS,
  FIXTURE_PLUGIN,
} from './test-fixtures/fixture-paths.js';
import { ptyFixture, ptyFixtureHandshake } from './test-fixtures/pty-contract.js';
import { PTY_PLUGIN, TS_PLUGIN_NODE_ARGS, TerminalText } from './test-fixtures/terminal-output.js';

const PTY_HOST = fileURLToPath(new URL('./test-fixtures/pty-host.ts', import.meta.url));

let socketParent: string;
const launched: LaunchedTerminalPlugin[] = [];
const clients: PluginClient[] = [];
const hosts: ChildProcess[] = [];
/** Processes SIGKILLed after a failed test; emptied once they are seen gone (their pids may be reused). */
const strays: number[] = [];

beforeEach(async () => {
  socketParent = await mkdtemp(join(tmpdir(), 'tether-pty-fd-test-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(
    launched.splice(0).map((plugin) => {
      plugin.dispose();
      return plugin.terminate(0);
    }),
  );
  for (const host of hosts.splice(0)) host.kill('SIGKILL');
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await rm(socketParent, { recursive: true, force: true });
});

/** What each descriptor of process `pid` points at ('self' for this one); vanished ones are skipped. */
async function openFiles(pid: number | 'self'): Promise<string[]> {
  const dir = `/proc/${pid}/fd`;
  const targets = await Promise.all(
    (await readdir(dir)).map((fd) => readlink(join(dir, fd)).catch(() => undefined)),
  );
  return targets.filter((target) => target !== undefined);
}

/** A plugin that stays running, in a pty, once it has printed 'ready'. */
async function launchRunning(name: string): Promise<LaunchedTerminalPlugin> {
  const plugin = await new PtyRunner({ socketDirParent: socketParent }).launch(
    { name, entry: FIXTURE_PLUGIN, nodeArgs: FIXTURE_NODE_ARGS, args: ['ignore-term'] },
    {},
  );
  launched.push(plugin);
  await new TerminalText(plugin.terminal).waitFor(/ready/);
  return plugin;
}

/** The descriptors of a process the host starts now, listed by that process itself after its exec. */
async function childOpenFiles(): Promise<string[]> {
  const child = spawn('sh', ['-c', 'for fd in /proc/$$/fd/*; do readlink "$fd"; done'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let listing = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (listing += text));
  await new Promise((resolve) => child.on('close', resolve));
  return listing.split('\n').filter((line) => line !== '');
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs?: number): Promise<void> {
  await waitFor(condition, { what, intervalMs: 20, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

describe('pty master isolation (node-pty#657)', () => {
  it('the host holds no pty master, and what it starts later cannot reach a running plugin’s terminal', async () => {
    const first = await launchRunning('first');
    // The plugin's own stdin is its terminal's slave side: the device another process must not hold.
    const terminal = await readlink(`/proc/${first.pid}/fd/0`);
    expect(terminal).toMatch(/^\/dev\/pts\/\d+$/);

    expect(await openFiles('self')).not.toContain('/dev/ptmx');

    const child = await childOpenFiles();
    expect(child.length).toBeGreaterThanOrEqual(3);
    expect(child).not.toContain('/dev/ptmx');
    expect(child).not.toContain(terminal);

    // A pty plugin started later holds its own terminal (as stdio), not the first one's master.
    const second = await launchRunning('second');
    const secondFiles = await openFiles(second.pid);
    expect(secondFiles).toContain(await readlink(`/proc/${second.pid}/fd/0`));
    expect(secondFiles).not.toContain('/dev/ptmx');
    expect(secondFiles).not.toContain(terminal);
    expect(await openFiles('self')).not.toContain('/dev/ptmx');
  });

  it('when the host dies, its broker kills the plugin’s process group and exits', async () => {
    const host = spawn(process.execPath, [...TS_PLUGIN_NODE_ARGS, PTY_HOST, socketParent], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    hosts.push(host);
    let out = '';
    host.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    await waitUntil(() => out.includes('\n'), 'the host reported its plugin', 15_000);
    const { pluginPid, grandchild } = JSON.parse(out) as { pluginPid: number; grandchild: number };
    strays.push(grandchild, pluginPid);
    // The plugin's parent is the broker, in a session of its own: not the host, not the plugin's group.
    const stat = await readFile(`/proc/${pluginPid}/stat`, 'utf8');
    const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const broker = Number(ppid);
    strays.push(broker);
    expect(broker).not.toBe(host.pid);
    expect(Number(pgrp)).toBe(pluginPid);
    expect(isRunning(broker)).toBe(true);
    expect(isRunning(grandchild)).toBe(true);

    // SIGKILL: the host's own exit hooks cannot run; only the broker can clean up.
    host.kill('SIGKILL');
    await waitUntil(
      () => !isRunning(pluginPid) && !isRunning(grandchild) && !isRunning(broker),
      'the plugin, its grandchild and the broker are gone',
    );
    strays.length = 0;
  });

  it('backpressure crosses the broker: a paused terminal blocks the plugin, resume lets it finish', async () => {
    const client = await PluginClient.start({
      spec: { name: 'pty-fixture', entry: PTY_PLUGIN, nodeArgs: TS_PLUGIN_NODE_ARGS },
      handshake: ptyFixtureHandshake,
      runner: new PtyRunner({ socketDirParent: socketParent }),
      logStore: new LogStore(),
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    clients.push(client);
    const terminal = client.terminal!;
    const screen = new TerminalText(terminal);
    terminal.pause();
    // About 2 MB: far more than the buffers between the plugin and the host (pty, pipe, streams) hold, so
    // the flood cannot finish unless someone (the broker, wrongly) reads it without the host.
    let finished = false;
    const flood = client
      .dispense(ptyFixture)
      .flood(20_000, 90)
      .then(() => (finished = true));
    // negative check: the flood must not finish while the host reads nothing; give a broker that wrongly reads
    // the time to let it. (Nothing in the plugin tells "blocked for good" from "slow".)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(finished).toBe(false);
    terminal.resume();
    await flood;
    await screen.waitFor(/0019999 #{90}\r\n/);
  });
});
