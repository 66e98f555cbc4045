import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startPeerProcess } from './peer-process.js';
import { waitFor } from './wait-for.js';

const fixture = fileURLToPath(new URL('./fixtures/echo-bytes.ts', import.meta.url));

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition) });
}

describe('startPeerProcess', () => {
  it('runs the fixture in another process and echoes 1 MiB over the Unix socket', async () => {
    const peer = await startPeerProcess(fixture);
    try {
      expect(peer.pid).not.toBe(process.pid);
      expect((await stat(dirname(peer.socketPath))).mode & 0o777).toBe(0o700);
      const chunks: Uint8Array[] = [];
      let received = 0;
      peer.transport.onDidReceive((chunk) => {
        chunks.push(chunk);
        received += chunk.byteLength;
      });
      const sent = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) & 0xff);
      peer.transport.write([sent.subarray(0, 100), sent.subarray(100, 500_000)]);
      peer.transport.write([sent.subarray(500_000)]);
      await until(() => received >= sent.byteLength);
      expect(Buffer.compare(Buffer.concat(chunks), sent)).toBe(0);
    } finally {
      await peer.dispose();
    }
    expect(await peer.exited).toMatchObject({ code: peer.child.exitCode, signal: peer.child.signalCode });
    await expect(stat(dirname(peer.socketPath))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(peer.transport.closed).toBe(true);
  });

  it('lets a fixture with exitOnClose exit by itself when the host closes the connection', async () => {
    const peer = await startPeerProcess(fixture);
    peer.transport.onDidReceive(() => {});
    peer.transport.close();
    expect(await peer.exited).toEqual({ code: 0, signal: null });
    await peer.dispose();
  });

  it('rejects with the stderr of a child that crashes before connecting', async () => {
    const started = startPeerProcess(fixture, { args: ['crash-before-connect'] });
    await expect(started).rejects.toThrow(/exited before connecting \(code 1\)/);
    await expect(started).rejects.toThrow(/crashing before connect, as asked/);
    await expect(started).rejects.toThrow(/echo-bytes crashed on purpose/);
  });

  it('rejects when the child does not connect in time, and kills it', async () => {
    const started = startPeerProcess(fixture, { args: ['never-connect'], connectTimeoutMs: 1000 });
    await expect(started).rejects.toThrow(/did not connect within 1000 ms/);
  });

  it('dispose escalates to SIGKILL when the child ignores SIGTERM, and is idempotent', async () => {
    const peer = await startPeerProcess(fixture, { args: ['ignore-sigterm'], env: { EXTRA: '1' } });
    const started = Date.now();
    const first = peer.dispose();
    expect(peer.dispose()).toBe(first);
    await first;
    expect(await peer.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
