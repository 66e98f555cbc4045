// The pty runner with real ptys and real plugin processes: the plugin sees a real terminal, RPC runs on the
// side channel next to the terminal's bytes, and the process group is stopped as a whole.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { isTetherError } from '@tether/sdk';
import { sha256File } from '../process/checksum.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { PluginClient } from '../client/plugin-client.js';
import { isRunning } from '../client/test-fixtures/is-running.js';
import { LogStore } from '../logging/log-store.js';
import { PluginExitedError } from './plugin-exited-error.js';
import { PtyRunner, type LaunchedTerminalPlugin } from './pty-runner.js';
import type { PtyRunnerOptions } from './pty-runner-options.js';
import type { LaunchSpec } from './runner.js';
import {
  FIXTURE_START_TIMEOUT_MS,
  FIXTURE_NODE_ARGS,
  FIXTURE_PLUGIN,
} from './test-fixtures/fixture-paths.js';
import { ptyFixture, ptyFixtureHandshake } from './test-fixtures/pty-contract.js';
import { PTY_PLUGIN, TS_PLUGIN_NODE_ARGS, TerminalText } from './test-fixtures/terminal-output.js';

let socketParent: string;
const clients: PluginClient[] = [];
const launched: LaunchedTerminalPlugin[] = [];

beforeEach(async () => {
  socketParent = await mkdtemp(join(tmpdir(), 'tether-pty-test-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(
    launched.splice(0).map((plugin) => {
      plugin.dispose();
      return plugin.terminate(0);
    }),
  );
  await rm(socketParent, { recursive: true, force: true });
});

/** The pty fixture plugin, started and connected. */
async function start(options: PtyRunnerOptions = {}, args: string[] = []): Promise<PluginClient> {
  const client = await PluginClient.start({
    spec: { name: 'pty-fixture', entry: PTY_PLUGIN, nodeArgs: TS_PLUGIN_NODE_ARGS, args },
    handshake: ptyFixtureHandshake,
    runner: new PtyRunner({ socketDirParent: socketParent, ...options }),
    logStore: new LogStore(),
    startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
  });
  clients.push(client);
  return client;
}

/** The runner fixture (a plain script, not a Tether plugin) in a pty, in the mode named. */
async function launchScript(
  mode: string,
  options: PtyRunnerOptions = {},
  spec: Partial<LaunchSpec> = {},
): Promise<LaunchedTerminalPlugin> {
  const runner = new PtyRunner({ socketDirParent: socketParent, ...options });
  const plugin = await runner.launch(
    { name: mode, entry: FIXTURE_PLUGIN, nodeArgs: FIXTURE_NODE_ARGS, args: [mode], ...spec },
    { TETHER_HANDSHAKE_TEST: 'yes' },
  );
  launched.push(plugin);
  return plugin;
}

function exitOf(terminalOrPlugin: { onDidExit: LaunchedTerminalPlugin['onDidExit']; exitStatus: unknown }) {
  return new Promise<NonNullable<LaunchedTerminalPlugin['exitStatus']>>((resolve) => {
    if (terminalOrPlugin.exitStatus !== undefined) resolve(terminalOrPlugin.exitStatus as never);
    else terminalOrPlugin.onDidExit(resolve);
  });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs?: number): Promise<void> {
  await waitFor(condition, { what, intervalMs: 20, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

describe('PtyRunner: what the plugin sees', () => {
  it('a real TTY on stdin, stdout and stderr, TERM and COLORTERM for colours, the size it was opened with', async () => {
    const client = await start({ terminalSize: { cols: 100, rows: 30 } }, ['greet']);
    const info = await client.dispense(ptyFixture).ttyInfo();
    expect(info).toMatchObject({
      stdinIsTTY: true,
      stdoutIsTTY: true,
      stderrIsTTY: true,
      cols: 100,
      rows: 30,
      term: 'xterm-256color',
      colorterm: 'truecolor',
      colorDepth: 24,
    });
    expect(client.terminal!.size).toEqual({ cols: 100, rows: 30 });
    // Escape sequences reach the host untouched.
    // eslint-disable-next-line no-control-regex -- the escape sequences are the point
    await new TerminalText(client.terminal!).waitFor(/\x1b\[32mhello from the pty plugin\x1b\[0m\r\n/);
  });

  it('raw mode works: a single key arrives without Enter', async () => {
    const client = await start();
    const screen = new TerminalText(client.terminal!);
    const key = client.dispense(ptyFixture).readKeyRaw('RAW-READY');
    await screen.waitFor(/RAW-READY/);
    client.terminal!.write('x');
    expect(await key).toBe('x');
  });

  it('a large paste arrives whole and in order (input waits while the terminal’s buffer is full)', async () => {
    const client = await start();
    const screen = new TerminalText(client.terminal!);
    const paste = Array.from({ length: 20_000 }, (_, i) => (i % 36).toString(36))
      .join('')
      .repeat(10);
    const received = client.dispense(ptyFixture).readRaw(paste.length, 'READY-FOR-PASTE');
    await screen.waitFor(/READY-FOR-PASTE/);
    client.terminal!.write(paste);
    const text = await received;
    expect(text.length).toBe(paste.length);
    expect(text === paste).toBe(true);
  });

  it('resize: the plugin gets SIGWINCH and sees the new size', async () => {
    const client = await start();
    const terminal = client.terminal!;
    terminal.resize({ cols: 132, rows: 43 });
    expect(terminal.size).toEqual({ cols: 132, rows: 43 });
    const seen = await client.dispense(ptyFixture).waitForSize(132, 43);
    expect(seen.sigwinch).toBeGreaterThanOrEqual(1);
    expect(await client.dispense(ptyFixture).ttyInfo()).toMatchObject({ cols: 132, rows: 43 });
  });

  it('resize rejects sizes that are not whole numbers from 1 to 10 000 with INVALID_ARGUMENT', async () => {
    const client = await start();
    for (const size of [
      { cols: 0, rows: 24 },
      { cols: 80, rows: -1 },
      { cols: 80.5, rows: 24 },
      { cols: 10_001, rows: 24 },
      { cols: Number.NaN, rows: 24 },
    ]) {
      let error: unknown;
      try {
        client.terminal!.resize(size);
      } catch (caught) {
        error = caught;
      }
      expect(isTetherError(error) && error.code).toBe('INVALID_ARGUMENT');
    }
    expect(client.terminal!.size).toEqual({ cols: 80, rows: 24 });
    expect(() => new PtyRunner({ terminalSize: { cols: 0, rows: 1 } })).toThrow(/terminalSize/);
  });
});

describe('PtyRunner: launch checks and environment', () => {
  it('checks the entry and its checksum before spawning anything', async () => {
    const missing = await launchScript('connect', {}, { entry: join(socketParent, 'nope.js') }).catch(
      (error: unknown) => error,
    );
    expect(isTetherError(missing) && missing.code).toBe('ENTRY_NOT_FOUND');
    const wrongSum = await launchScript('connect', {}, { sha256: '0'.repeat(64) }).catch(
      (error: unknown) => error,
    );
    expect(isTetherError(wrongSum) && wrongSum.code).toBe('CHECKSUM_MISMATCH');
    expect(await readdir(socketParent)).toEqual([]);
    const rightSum = await launchScript('connect', {}, { sha256: await sha256File(FIXTURE_PLUGIN) });
    await rightSum.connection();
  });

  it('the clean environment, with TERM and COLORTERM for the terminal unless the spec sets TERM', async () => {
    const hostEnv = {
      PATH: process.env['PATH'],
      LANG: 'C.UTF-8',
      LC_CTYPE: 'C.UTF-8',
      TERM: 'dumb',
      AWS_SECRET_ACCESS_KEY: 'must-not-leak',
    };
    const plugin = await launchScript('env', { hostEnv });
    const line = (await new TerminalText(plugin.terminal).waitFor(/^\{.*\}\r$/m))[0];
    const env = JSON.parse(line) as Record<string, string>;
    expect(env).toMatchObject({
      LANG: 'C.UTF-8',
      LC_CTYPE: 'C.UTF-8',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      TETHER_HANDSHAKE_TEST: 'yes',
    });
    expect(env['TETHER_SOCKET']).toMatch(/plugin\.sock$/);
    expect(env['AWS_SECRET_ACCESS_KEY']).toBeUndefined();

    const own = await launchScript('env', { hostEnv }, { env: { TERM: 'screen-256color', COLORTERM: '' } });
    const ownEnv = JSON.parse((await new TerminalText(own.terminal).waitFor(/^\{.*\}\r$/m))[0]) as Record<
      string,
      string
    >;
    expect(ownEnv).toMatchObject({ TERM: 'screen-256color', COLORTERM: '' });

    // A spec that names its terminal without COLORTERM (a user's terminal that has none): no truecolor claim.
    const plain = await launchScript('env', { hostEnv }, { env: { TERM: 'linux' } });
    const plainEnv = JSON.parse((await new TerminalText(plain.terminal).waitFor(/^\{.*\}\r$/m))[0]) as Record<
      string,
      string
    >;
    expect(plainEnv['TERM']).toBe('linux');
    expect(plainEnv['COLORTERM']).toBeUndefined();
  });
});

describe('PtyRunner: RPC and terminal side by side', () => {
  it('RPC calls work while the terminal carries a flood, and neither corrupts the other', async () => {
    const client = await start();
    const remote = client.dispense(ptyFixture);
    const screen = new TerminalText(client.terminal!);
    const lines = 20_000;
    const width = 90;
    const flood = remote.flood(lines, width);
    const sums: Promise<number>[] = [];
    for (let i = 0; i < 300; i++) sums.push(remote.add(i, 1000));
    expect(await Promise.all(sums)).toEqual(sums.map((_, i) => i + 1000));
    expect(await flood).toBe(lines);
    const last = String(lines - 1).padStart(7, '0');
    await screen.waitFor(new RegExp(`${last} #{${width}}\\r\\n`));
    const shown = screen.text.split('\r\n').filter((line) => /^\d{7} /.test(line));
    expect(shown).toHaveLength(lines);
    shown.forEach((line, i) => {
      if (line !== `${String(i).padStart(7, '0')} ${'#'.repeat(width)}`) {
        throw new Error(`line ${i} of the terminal is corrupted: ${JSON.stringify(line.slice(0, 120))}`);
      }
    });
  });

  it('console.log goes to the terminal (the console is the user’s), log records still go to the host', async () => {
    const client = await start();
    const remote = client.dispense(ptyFixture);
    const screen = new TerminalText(client.terminal!);
    await remote.consoleLog('console says hi');
    await remote.logInfo('a record for the host');
    await screen.waitFor(/console says hi\r\n/);
    await waitUntil(
      () => client.logStore.query({ text: 'a record for the host' }).records.length === 1,
      'the log record arrived',
    );
    expect(client.logStore.query({ text: 'console says hi' }).records).toHaveLength(0);
    expect(screen.text).not.toContain('a record for the host');
  });
});

describe('PtyRunner: Ctrl-C, job control, child programs', () => {
  it('Ctrl-C interrupts the foreground job the plugin runs; the plugin survives and reports it', async () => {
    const client = await start();
    const remote = client.dispense(ptyFixture);
    const screen = new TerminalText(client.terminal!);
    const job = remote.runForeground('sleep', ['100'], 'JOB-RUNNING');
    await screen.waitFor(/JOB-RUNNING/);
    const sleepPid = await remote.foregroundPid();
    expect(sleepPid).toBeGreaterThan(0);
    client.terminal!.write('\x03');
    expect(await job).toEqual({ code: null, signal: 'SIGINT' });
    expect(isRunning(sleepPid!)).toBe(false);
    expect(await remote.add(2, 3)).toBe(5);
    expect(client.state).toBe('running');
  });

  it('a shell run by the plugin runs a command typed into the terminal', async () => {
    const client = await start();
    const remote = client.dispense(ptyFixture);
    const screen = new TerminalText(client.terminal!);
    const shell = remote.runForeground('/bin/sh', ['-i'], 'SHELL-STARTED');
    await screen.waitFor(/SHELL-STARTED/);
    // The echo of the typed line shows `$((6 * 7))`; only the shell's answer shows 42 (after its prompt).
    client.terminal!.write('echo "tether-$((6 * 7))-ok"\n');
    await screen.waitFor(/tether-42-ok\r\n/);
    client.terminal!.write('exit 0\n');
    expect(await shell).toEqual({ code: 0, signal: null });
    expect(await remote.add(1, 1)).toBe(2);
  });
});

describe('PtyRunner: exit, crash and stop', () => {
  it('a crash: onDidExit with the status, and stderrTail shows the last line the plugin printed', async () => {
    const client = await start();
    const terminal = client.terminal!;
    const crashed = new Promise<{ code: number | null; stderrTail: readonly string[] }>((resolve) =>
      client.onDidCrash(resolve),
    );
    const terminalExit = exitOf(terminal);
    void client
      .dispense(ptyFixture)
      .crash('\x1b[31mfatal:\x1b[0m the disk is full', 3)
      .catch(() => undefined);
    expect(await terminalExit).toEqual({ code: 3, signal: null });
    expect(terminal.exitStatus).toEqual({ code: 3, signal: null });
    const crash = await crashed;
    expect(crash.code).toBe(3);
    expect(crash.stderrTail.at(-1)).toBe('fatal: the disk is full');
    expect(client.stderrTail().at(-1)).toBe('fatal: the disk is full');
    expect(new TextDecoder().decode(terminal.backlog())).toContain('the disk is full');
  });

  it('exits before connecting: connection() rejects with PLUGIN_EXITED and the terminal’s last lines', async () => {
    const plugin = await launchScript('exit-early');
    const error = await plugin.connection().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginExitedError);
    const exited = error as PluginExitedError;
    expect(exited.exitStatus).toEqual({ code: 3, signal: null });
    expect(exited.stderrTail).toEqual(['starting up', 'boom: the configuration file is missing']);
    expect(exited.message).toContain('boom: the configuration file is missing');
  });

  it('stop ends the whole process group, including the job running in the foreground', async () => {
    const client = await start();
    const remote = client.dispense(ptyFixture);
    const screen = new TerminalText(client.terminal!);
    void remote.runForeground('sleep', ['100'], 'JOB-RUNNING').catch(() => undefined);
    await screen.waitFor(/JOB-RUNNING/);
    const sleepPid = (await remote.foregroundPid())!;
    const pluginPid = client.pid;
    const status = await client.stop();
    expect(status).toEqual({ code: 0, signal: null });
    expect(client.terminal!.exitStatus).toEqual(status);
    await waitUntil(() => !isRunning(sleepPid), 'the foreground job is gone');
    expect(isRunning(pluginPid)).toBe(false);
  });

  it('terminate: SIGTERM to the group, SIGKILL after the grace for what ignores it', async () => {
    const plugin = await launchScript('grandchild');
    const screen = new TerminalText(plugin.terminal);
    const grandchild = Number((await screen.waitFor(/grandchild (\d+)/))[1]);
    expect(isRunning(grandchild)).toBe(true);
    await plugin.terminate(300);
    expect(plugin.exitStatus).toEqual({ code: null, signal: 'SIGTERM' });
    await waitUntil(() => !isRunning(grandchild), 'the grandchild that ignores SIGTERM is gone');

    const stubborn = await launchScript('ignore-term');
    await new TerminalText(stubborn.terminal).waitFor(/ready/);
    await stubborn.terminate(300);
    expect(stubborn.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stubborn.terminal.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
  });
});

describe('PtyRunner: the terminal handle', () => {
  it('keeps output nobody listens to in the backlog, and a late viewer replays it', async () => {
    const client = await start({}, ['greet']);
    await client.dispense(ptyFixture).print('printed while nobody watched\n');
    const terminal = client.terminal!;
    await waitUntil(
      () => new TextDecoder().decode(terminal.backlog()).includes('printed while nobody watched'),
      'the output is in the backlog',
    );
    const replay = new TextDecoder().decode(terminal.backlog());
    expect(replay).toMatch(/hello from the pty plugin[\s\S]*printed while nobody watched\r\n/);
    const late = new TerminalText(terminal);
    await client.dispense(ptyFixture).print('after the viewer came\n');
    await late.waitFor(/printed while nobody watched\r\n[\s\S]*after the viewer came\r\n/);
  });

  it('the backlog keeps only the latest bytes, up to its cap', async () => {
    const client = await start({ terminalBacklogBytes: 4096 });
    const screen = new TerminalText(client.terminal!);
    await client.dispense(ptyFixture).flood(2000, 40);
    await screen.waitFor(/0001999 #{40}\r\n/);
    const backlog = client.terminal!.backlog();
    expect(backlog.length).toBeLessThanOrEqual(4096);
    expect(backlog.length).toBeGreaterThan(4000);
    const text = new TextDecoder().decode(backlog);
    expect(text.endsWith(`0001999 ${'#'.repeat(40)}\r\n`)).toBe(true);
    expect(text).not.toContain('0000000 ');
  });

  it('pause holds the output back until resume', async () => {
    const client = await start();
    const terminal = client.terminal!;
    const screen = new TerminalText(terminal);
    terminal.pause();
    await client.dispense(ptyFixture).print('held back\n');
    // negative check: the text is in the pty now; unpaused, it would reach the screen within this time.
    // (The terminal's bytes and the RPC reply travel different paths: no round trip orders them.)
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.text).not.toContain('held back');
    terminal.resume();
    await screen.waitFor(/held back\r\n/);
  });

  it('writes and resizes during and after the exit are harmless', async () => {
    const client = await start();
    const terminal = client.terminal!;
    const errors = vi.spyOn(console, 'error');
    // During the exit: input racing the end of the process never throws, nor logs node-pty write errors.
    const typing = setInterval(() => {
      terminal.write('keys at the end\n');
      terminal.resize({ cols: 81, rows: 25 });
    }, 1);
    const exit = exitOf(terminal);
    void client
      .dispense(ptyFixture)
      .crash('bye', 0)
      .catch(() => undefined);
    await exit;
    clearInterval(typing);
    // After the exit: ignored, not handed to node-pty (whose resize of a closed pty throws).
    const size = terminal.size;
    expect(() => {
      terminal.write('more');
      terminal.write(new Uint8Array([1, 2, 3]));
      terminal.resize({ cols: 10, rows: 10 });
      terminal.pause();
      terminal.resume();
    }).not.toThrow();
    // negative check: node-pty reports a failed write or resize asynchronously; give it the time to.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(terminal.size).toEqual(size);
    expect(errors).not.toHaveBeenCalled();
  });

  it('dispose lets the viewer go without stopping the plugin', async () => {
    const client = await start();
    const terminal = client.terminal!;
    let outputs = 0;
    terminal.onDidOutput(() => outputs++);
    terminal.pause();
    terminal.dispose();
    terminal.dispose();
    await client.dispense(ptyFixture).print('nobody sees this\n');
    expect(await client.dispense(ptyFixture).add(20, 22)).toBe(42);
    expect(terminal.backlog()).toHaveLength(0);
    expect(outputs).toBe(0);
  });
});
