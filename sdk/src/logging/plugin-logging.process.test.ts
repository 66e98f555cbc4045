// Logging in a real plugin process: records over tether.logs, console captured, a crash logged before exit 1.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGS_CHANNEL_LABEL } from '../constants.js';
import { MuxSession } from '../mux/mux-session.js';
import { performHostHandshake } from '../plugin/host-handshake.js';
import { handshake } from '../plugin/test-fixtures/contract.js';
import { RpcPeer } from '../rpc/rpc-peer.js';
import { listenUnixSocket } from '../transport/node/unix-socket.js';
import { decodeLogBatch } from './log-batch.js';
import type { LogRecord } from './log-record.js';

const fixture = fileURLToPath(new URL('./test-fixtures/logging-fixture.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startPlugin(mode: string) {
  const dir = await mkdtemp(join(tmpdir(), 'tether-logs-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const listener = await listenUnixSocket(join(dir, 'plugin.sock'));
  cleanups.push(() => listener.close());
  const base = { ...process.env };
  delete base.TETHER_SOCKET;
  const child = spawn(
    process.execPath,
    ['--conditions=tether-source', '--import', tsxLoader, fixture, mode],
    {
      env: {
        ...base,
        TETHER_SOCKET: listener.path,
        [handshake.cookieKey]: handshake.cookieValue,
        TETHER_HOST_PID: String(process.pid),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const records: LogRecord[] = [];
  const events: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      events.push('exit');
      resolve(code);
    }),
  );
  const session = new MuxSession(await listener.accept(), { role: 'initiator' });
  session.onDidOpenChannel((channel) => {
    if (channel.label !== LOGS_CHANNEL_LABEL) return;
    channel.onDidReceive((bytes) => {
      for (const record of decodeLogBatch(bytes).records) {
        records.push(record);
        events.push(`record:${record.message}`);
      }
    });
  });
  const started = performHostHandshake(session, {
    cookie: { key: handshake.cookieKey, value: handshake.cookieValue },
    versions: [1],
    timeoutMs: 15_000,
  });
  const peer = new RpcPeer(session, { peerName: 'the plugin' });
  cleanups.push(() => peer.dispose());
  return { started: await started, records, events, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('plugin logging in a real process', () => {
  it('an uncaught exception arrives as an error record with its stack before the process exits 1', async () => {
    const plugin = await startPlugin('throw');
    expect(await plugin.exited).toBe(1);
    const messages = plugin.records.map((r) => `${r.level} ${r.scope}: ${r.message}`);
    expect(messages).toEqual([
      'info fixture: served',
      'info console: from console 7',
      'error process: Uncaught exception: fixture exploded',
    ]);
    const crash = plugin.records[2]!;
    expect(crash.error).toMatchObject({ name: 'Error', message: 'fixture exploded' });
    expect(crash.error!.stack).toContain('logging-fixture.ts');
    expect(plugin.records[0]!.fields).toEqual({ version: 1 });
    // Received before the host saw the process exit.
    expect(plugin.events.indexOf('record:Uncaught exception: fixture exploded')).toBeLessThan(
      plugin.events.indexOf('exit'),
    );
    // Console output is a record, not a stdout line; the crash is on stderr too, for a host without the channel.
    expect(plugin.stdout()).toBe('');
    expect(plugin.stderr()).toContain(
      '[ERROR] process: Uncaught exception: fixture exploded\nError: fixture exploded',
    );
  });

  it('an unhandled rejection is logged the same way and exits 1', async () => {
    const plugin = await startPlugin('reject');
    expect(await plugin.exited).toBe(1);
    const crash = plugin.records.at(-1)!;
    expect(crash).toMatchObject({ level: 'error', message: 'Unhandled promise rejection: fixture rejected' });
    expect(crash.error!.stack).toContain('TypeError: fixture rejected');
  });

  it('STOP: what onStop logs arrives before the plugin exits 0', async () => {
    const plugin = await startPlugin('idle');
    plugin.started.control.requestStop(2_000);
    expect(await plugin.exited).toBe(0);
    expect(plugin.records.map((r) => r.message)).toEqual(['served', 'from console 7', 'stopping']);
  });
});
