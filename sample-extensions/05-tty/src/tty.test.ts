// The TTY sample as real processes: refused without a terminal; through the client's terminal handle (what
// an app's terminal panel does) next to RPC calls; and its host, run as `npm start` runs it, in a pty.
// The full user journeys through `tether run` are in extension-host/src/cli/run-tty.test.ts.
import { spawn as spawnPty } from 'node-pty';
import { describe, expect, it } from 'vitest';
import { NodeRunner, PluginClient, readManifest, type TerminalHandle } from '@tether/extension-host';
import { handshake, session } from './contract.js';
import { TYPESCRIPT_NODE_ARGS, extensionDir, startTty } from './launch.js';
import { NO_TTY_MESSAGE } from './require-tty.js';

/** Generous: Node + tsx + the plugin start in a few seconds on a loaded 2-core machine. */
const WAIT_MS = 30_000;

/** Resolves once the text `read()` returns matches `pattern`; fails after WAIT_MS showing the text. */
async function waitFor(read: () => string, pattern: string | RegExp): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(typeof pattern === 'string' ? read().includes(pattern) : pattern.test(read()))) {
    if (Date.now() > deadline) throw new Error(`no ${String(pattern)} in:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function screenOf(terminal: TerminalHandle): () => string {
  let screen = new TextDecoder().decode(terminal.backlog());
  terminal.onDidOutput((chunk) => (screen += Buffer.from(chunk).toString('utf8')));
  return () => screen;
}

describe('05-tty', () => {
  it('has a valid manifest that asks for the pty runner', async () => {
    const manifest = await readManifest(extensionDir);
    expect(manifest.name).toBe('@tether-samples/05-tty');
    expect(manifest.runner).toBe('pty');
    expect([...manifest.services]).toEqual([[session.name, [1]]]);
    expect(manifest.handshake).toEqual(handshake);
  });

  it('refuses to run without a terminal, saying what to do', async () => {
    const started = PluginClient.start({
      spec: {
        name: 'tty-without-a-terminal',
        entry: `${extensionDir}/src/plugin.ts`,
        nodeArgs: TYPESCRIPT_NODE_ARGS,
      },
      handshake,
      runner: new NodeRunner({ output: null }),
    });
    await expect(started).rejects.toMatchObject({ code: 'PLUGIN_EXITED' });
    await expect(started).rejects.toThrow(NO_TTY_MESSAGE.slice(0, 60));
  }, 60_000);

  it('the terminal handle and RPC side by side: typed commands show up in session.info()', async () => {
    const client = await startTty({ runnerOptions: { terminalSize: { cols: 70, rows: 20 } } });
    try {
      const terminal = client.terminal!;
      const screen = screenOf(terminal);
      await waitFor(screen, 'tty> ');
      terminal.write('size\r');
      await waitFor(screen, 'size 70x20');
      terminal.resize({ cols: 100, rows: 30 });
      await waitFor(screen, 'resized to 100x30');
      expect(await client.dispense(session).info()).toEqual({
        isTTY: true,
        columns: 100,
        rows: 30,
        rawMode: true,
        lastCommand: 'size',
        commands: 1,
      });
      // The RPC answer did not go through the terminal.
      expect(screen()).not.toContain('lastCommand');
      terminal.write('exit\r');
      await waitFor(screen, 'bye');
    } finally {
      expect(await client.stop()).toEqual({ code: 0, signal: null });
    }
  }, 60_000);

  it('the host (npm start) passes its terminal through and exits with the plugin', async () => {
    const pty = spawnPty(process.execPath, [...TYPESCRIPT_NODE_ARGS, 'src/host.ts'], {
      cwd: extensionDir,
      cols: 88,
      rows: 22,
      env: process.env,
    });
    let screen = '';
    pty.onData((data) => (screen += data));
    let running = true;
    const exited = new Promise<number>((resolve) =>
      pty.onExit(({ exitCode }) => {
        running = false;
        resolve(exitCode);
      }),
    );
    try {
      await waitFor(() => screen, 'tty> ');
      pty.write('size\r');
      await waitFor(() => screen, 'size 88x22');
      pty.write('exit\r');
      expect(await exited).toBe(0);
    } finally {
      if (running) pty.kill('SIGKILL');
    }
  }, 60_000);
});
