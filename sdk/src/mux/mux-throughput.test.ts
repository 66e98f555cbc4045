import { describe, expect, it } from 'vitest';
import type { Transport } from '../transport/transport.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { MuxSession } from './mux-session.js';
import type { MuxChannel } from './mux-types.js';
import { bytes, until } from './test-fixtures/mux-harness.js';

/** Delivers every incoming chunk to the session re-split at pseudo-random points (down to single bytes). */
function rechunking(inner: Transport, seed: number): Transport {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x;
  };
  return {
    kind: 'rechunking',
    get closed() {
      return inner.closed;
    },
    write: (chunks) => inner.write(chunks),
    onDidClose: inner.onDidClose,
    onDidReceive: (listener) =>
      inner.onDidReceive((chunk) => {
        let at = 0;
        while (at < chunk.byteLength) {
          const size = next() % 4 === 0 ? 1 : 1 + (next() % 3000);
          listener(chunk.slice(at, at + size));
          at += size;
        }
      }),
    close: () => inner.close(),
    dispose: () => inner.dispose(),
  };
}

describe('mux throughput sanity (no timing assertions)', () => {
  it('16 channels in both directions move 64 MiB and 100k small messages intact', async () => {
    const [a, b] = createMemoryTransportPair();
    const host = new MuxSession(a, { role: 'initiator' });
    const plugin = new MuxSession(b, { role: 'acceptor' });
    const checksums = new Map<string, { bytes: number; messages: number; sum: number }>();
    const track = (channel: MuxChannel) => {
      const entry = { bytes: 0, messages: 0, sum: 0 };
      checksums.set(`${channel.isLocal ? 'local' : 'remote'}:${channel.label}`, entry);
      channel.onDidReceive((m) => {
        entry.bytes += m.byteLength;
        entry.messages += 1;
        entry.sum = (entry.sum + (m[0] ?? 0) + (m[m.byteLength - 1] ?? 0)) % 65521;
      });
      channel.onDidEnd(() => channel.end());
    };
    plugin.onDidOpenChannel(track);
    host.onDidOpenChannel(track);
    const started = performance.now();
    const channels: MuxChannel[] = [];
    for (let i = 0; i < 8; i++) channels.push(host.openChannel(`bulk${i}`), plugin.openChannel(`small${i}`));
    const big = bytes(1024 * 1024, 3);
    const small = bytes(40, 4);
    await Promise.all(
      channels.map(async (channel) => {
        const isBulk = channel.label.startsWith('bulk');
        for (let i = 0; i < (isBulk ? 8 : 12_500); i++) {
          if (!channel.send(isBulk ? big : small)) {
            await new Promise<void>((resolve) => {
              const sub = channel.onDidDrain(() => {
                sub.dispose();
                resolve();
              });
            });
          }
        }
        channel.end();
      }),
    );
    await until(() => channels.every((c) => c.closed), 20_000);
    const elapsed = performance.now() - started;
    for (let i = 0; i < 8; i++) {
      expect(checksums.get(`remote:bulk${i}`)).toMatchObject({ bytes: 8 * 1024 * 1024, messages: 8 });
      expect(checksums.get(`remote:small${i}`)).toMatchObject({ bytes: 40 * 12_500, messages: 12_500 });
    }
    expect(elapsed).toBeGreaterThan(0);
    host.dispose();
    plugin.dispose();
  });

  it('works when the transport splits and joins chunks arbitrarily', async () => {
    const [a, b] = createMemoryTransportPair();
    const host = new MuxSession(rechunking(a, 1), { role: 'initiator', maxFrameSize: 4096 });
    const plugin = new MuxSession(rechunking(b, 2), { role: 'acceptor', maxFrameSize: 4096 });
    const received: Uint8Array[] = [];
    let ended = false;
    plugin.onDidOpenChannel((channel) => {
      channel.onDidReceive((m) => {
        received.push(m);
        channel.send(m.subarray(0, 1));
      });
      channel.onDidEnd(() => {
        ended = true;
        channel.end();
      });
    });
    const channel = host.openChannel('chunky');
    const echoes: number[] = [];
    channel.onDidReceive((m) => echoes.push(m.byteLength));
    const messages = Array.from({ length: 200 }, (_, i) => bytes((i * 997) % 20_000, i + 1));
    for (const message of messages) channel.send(message);
    channel.end();
    await until(() => ended && channel.closed, 20_000);
    expect(received.map((m) => Buffer.from(m).toString('hex'))).toEqual(
      messages.map((m) => Buffer.from(m).toString('hex')),
    );
    expect(echoes).toHaveLength(200);
    expect(await host.ping()).toBeGreaterThanOrEqual(0);
    host.dispose();
    plugin.dispose();
  });
});
