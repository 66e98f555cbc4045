// The utility-process runner cannot meet Electron here (no binary can be downloaded on this machine), so it
// runs against a stand-in: a real Node child with an IPC channel shaped like Electron's UtilityProcess, and
// a shim that gives the child the `process.parentPort` a utility process has. Everything else — the runner,
// the MessagePort transport, serve()'s utility path, PluginClient — is the real code.
import { fork as forkChild } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { UtilityProcess } from 'electron';
import { describe, expect, it } from 'vitest';
import { PluginClient } from '../client/plugin-client.js';
import { fixture, fixtureHandshake } from '../client/test-fixtures/contract.js';
import { FIXTURE_START_TIMEOUT_MS, TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { UtilityRunner, type UtilityFork } from './utility-runner.js';

const shim = pathToFileURL(
  fileURLToPath(new URL('./test-fixtures/parent-port-shim.ts', import.meta.url)),
).href;
const entry = fileURLToPath(new URL('../client/test-fixtures/misbehaving-plugin.ts', import.meta.url));

/** Electron's utilityProcess.fork, played by child_process.fork with the same surface. */
const standInFork: UtilityFork = (modulePath, args, options) => {
  const child = forkChild(modulePath, args ?? [], {
    env: { ...options?.env },
    execArgv: [...(options?.execArgv ?? []), '--import', shim],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
    ...(options?.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const utility = {
    pid: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    postMessage: (message: unknown) => child.send(message as never),
    on: (event: string, listener: (...args: unknown[]) => void) => (child.on(event, listener), utility),
    off: (event: string, listener: (...args: unknown[]) => void) => (child.off(event, listener), utility),
    once: (event: string, listener: (...args: unknown[]) => void) =>
      event === 'exit'
        ? (child.once('exit', (code, signal) => listener(code ?? (signal === null ? 0 : 128))), utility)
        : (child.once(event, listener), utility),
    kill: () => child.kill('SIGTERM'),
  };
  return utility as unknown as UtilityProcess;
};

describe('UtilityRunner (against a stand-in for Electron’s utility process)', () => {
  it('starts a plugin over the process message port, calls it and stops it', async () => {
    const client = await PluginClient.start({
      spec: {
        name: 'utility-fixture',
        entry,
        args: ['well-behaved'],
        nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
      },
      handshake: fixtureHandshake,
      runner: new UtilityRunner(standInFork, { output: null }),
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    try {
      expect(await client.dispense(fixture).add(20, 22)).toBe(42);
      expect(await client.dispense(fixture).sleep(5)).toBe('slept');
    } finally {
      expect(await client.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
