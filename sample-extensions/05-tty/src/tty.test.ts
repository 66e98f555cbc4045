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

/** What a terminal has shown so far, and who waits for it to show more. */
class Screen {
  #text = '';
  readonly #waiters = new Set<() => void>();

  get text(): string {
    return this.#text;
  }

  append(chunk: string): void {
    this.#text += chunk;
    for (const waiter of this.#waiters) waiter();
  }

  /** Resolves once the screen shows `pattern` (checked on each output); fails after WAIT_MS showing the screen. */
  waitFor(pattern: string | RegExp): Promise<void> {
    const shows = () =>
      typeof pattern === 'string' ? this.#text.includes(pattern) : pattern.test(this.#text);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!shows()) return;
        this.#waiters.delete(check);
        clearTimeout(deadline);
        resolve();
      };
      const deadline = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no ${String(pattern)} in:\n${this.#text}`));
      }, WAIT_MS);
      this.#waiters.add(check);
      check();
    });
  }
}

function screenOf(terminal: TerminalHandle): Screen {
  const screen = new Screen();
  screen.append(new TextDecoder().decode(terminal.backlog()));
  terminal.onDidOutput((chunk) => screen.append(Buffer.from(chunk).toString('utf8')));
  return screen;
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
      await screen.waitFor('tty> ');
      terminal.write('size\r');
      await screen.waitFor('size 70x20');
      terminal.resize({ cols: 100, rows: 30 });
      await screen.waitFor('resized to 100x30');
      expect(await client.dispense(session).info()).toEqual({
        isTTY: true,
        columns: 100,
        rows: 30,
        rawMode: true,
        lastCommand: 'size',
        commands: 1,
      });
      // The RPC answer did not go through the terminal.
      expect(screen.text).not.toContain('lastCommand');
      terminal.write('exit\r');
      await screen.waitFor('bye');
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
    const screen = new Screen();
    pty.onData((data) => screen.append(data));
    let running = true;
    const exited = new Promise<number>((resolve) =>
      pty.onExit(({ exitCode }) => {
        running = false;
        resolve(exitCode);
      }),
    );
    try {
      await screen.waitFor('tty> ');
      pty.write('size\r');
      await screen.waitFor('size 88x22');
      pty.write('exit\r');
      expect(await exited).toBe(0);
    } finally {
      if (running) pty.kill('SIGKILL');
    }
  }, 60_000);
});
