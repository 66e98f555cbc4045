// An extension with `"runner": "pty"` started the way an app does (startExtension): the client has a terminal
// and RPC, stops cleanly, and extensions on the other runners have no terminal.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { FIXTURE_START_TIMEOUT_MS } from './test-fixtures/fixture-paths.js';
import type { PluginClient } from '../client/plugin-client.js';
import { startExtension } from '../client/start-extension.js';
import { LogStore } from '../logging/log-store.js';
import { ptyFixture, ptyFixtureHandshake } from './test-fixtures/pty-contract.js';
import { PTY_PLUGIN, TerminalText } from './test-fixtures/terminal-output.js';

const dirs: string[] = [];
const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An extension folder whose entry runs the pty fixture plugin, on the runner given. */
async function extension(runner: 'pty' | 'node'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-pty-ext-'));
  dirs.push(dir);
  await writeFile(
    join(dir, 'plugin.ts'),
    `process.argv[2] = 'greet';\nawait import(${JSON.stringify(PTY_PLUGIN)});\n`,
  );
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `pty-extension-${runner}`,
      version: '1.0.0',
      type: 'module',
      tether: {
        entry: 'plugin.ts',
        runner,
        services: { 'fixture.pty': [1] },
        host: '>=0.1.0',
        handshake: ptyFixtureHandshake,
      },
    }),
  );
  return dir;
}

describe('startExtension with "runner": "pty"', () => {
  it('starts the extension in a terminal of the size asked for; RPC, output, resize and stop work', async () => {
    const { client } = await startExtension(await extension('pty'), {
      runnerOptions: { terminalSize: { cols: 90, rows: 20 } },
      logStore: new LogStore(),
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    clients.push(client);
    const terminal = client.terminal!;
    expect(terminal).toBeDefined();
    const remote = client.dispense(ptyFixture);
    expect(await remote.ttyInfo()).toMatchObject({ stdoutIsTTY: true, cols: 90, rows: 20 });
    const screen = new TerminalText(terminal);
    await screen.waitFor(/hello from the pty plugin/);
    terminal.resize({ cols: 100, rows: 50 });
    expect((await remote.waitForSize(100, 50)).sigwinch).toBeGreaterThanOrEqual(1);
    const exited = new Promise((resolve) => terminal.onDidExit(resolve));
    expect(await client.stop()).toEqual({ code: 0, signal: null });
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(client.state).toBe('exited');
  });

  it('the same extension on the node runner has no terminal, and its console goes to the log', async () => {
    const store = new LogStore();
    const { client } = await startExtension(await extension('node'), {
      runnerOptions: { output: null },
      logStore: store,
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    clients.push(client);
    expect(client.terminal).toBeUndefined();
    const remote = client.dispense(ptyFixture);
    expect(await remote.ttyInfo()).toMatchObject({ stdoutIsTTY: false });
    await remote.consoleLog('console in a pipe');
    await waitFor(() => store.query({ scope: 'console', text: 'console in a pipe' }).records.length > 0, {
      what: 'the console record',
    });
  });
});
