// The plugin's side of tether.logs over a real mux session pair, read with decodeLogBatch on the host's side.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL_WINDOW, LOG_BATCH_MAX_BYTES, LOGS_CHANNEL_LABEL } from '../constants.js';
import { MuxSession } from '../mux/mux-session.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { createMemoryTransportPair } from '../transport/memory-transport.js';
import { waitFor } from '../test-support/wait-for.js';
import { decodeLogBatch } from './log-batch.js';
import type { LogRecord } from './log-record.js';
import { LogShipper, type LogShipperOptions } from './log-shipper.js';
import { createLogger } from './logger.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits for `condition`, checking once per turn (everything here runs in this process). */
async function until(condition: () => boolean, what: string): Promise<void> {
  await waitFor(condition, { what, intervalMs: 0 });
}

function setup(options: LogShipperOptions = {}, paused = false) {
  const [a, b] = createMemoryTransportPair();
  const host = new MuxSession(a, { role: 'initiator' });
  const plugin = new MuxSession(b, { role: 'acceptor' });
  const received: LogRecord[] = [];
  const batches: { count: number; suppressed: number }[] = [];
  let hostChannel: MuxChannel | undefined;
  host.onDidOpenChannel((channel) => {
    expect(channel.label).toBe(LOGS_CHANNEL_LABEL);
    hostChannel = channel;
    if (paused) channel.pause();
    channel.onDidReceive((bytes) => {
      const batch = decodeLogBatch(bytes);
      received.push(...batch.records);
      batches.push({ count: batch.records.length, suppressed: batch.suppressed });
    });
  });
  const channel = plugin.openChannel(LOGS_CHANNEL_LABEL);
  const shipper = new LogShipper(channel, options);
  const log = createLogger('', (record) => shipper.write(record));
  cleanups.push(() => {
    shipper.dispose();
    plugin.dispose();
    host.dispose();
  });
  return { shipper, log, received, batches, hostChannel: () => hostChannel, pluginChannel: () => channel };
}

describe('LogShipper', () => {
  it('delivers records with all their fields, in order, batched per tick', async () => {
    const { log, received, batches } = setup();
    const before = Date.now();
    log.info('first', { user: 'ada', n: 1, tags: ['a', 'b'], big: 10n, when: new Date(0) });
    log.scope('db').warn('second');
    log.scope('db').scope('pool').debug('third');
    log.trace('fourth');
    await until(() => received.length === 4, 'four records');
    expect(batches).toEqual([{ count: 4, suppressed: 0 }]);
    expect(received.map((r) => [r.level, r.scope, r.message])).toEqual([
      ['info', '', 'first'],
      ['warn', 'db', 'second'],
      ['debug', 'db.pool', 'third'],
      ['trace', '', 'fourth'],
    ]);
    expect(received[0]!.fields).toEqual({ user: 'ada', n: 1, tags: ['a', 'b'], big: 10n, when: new Date(0) });
    expect(received[0]!.time).toBeGreaterThanOrEqual(before);
    expect(received[1]).not.toHaveProperty('fields');
    expect(received[1]).not.toHaveProperty('error');
  });

  it('attaches an error with name, message, stack and code', async () => {
    const { log, received } = setup();
    const failure = Object.assign(new TypeError('disk on fire'), { code: 'EFIRE' });
    log.error(failure);
    log.scope('db').error('query failed', { error: failure, query: 'SELECT 1' });
    await until(() => received.length === 2, 'two records');
    expect(received[0]).toMatchObject({ level: 'error', message: 'disk on fire' });
    expect(received[0]!.error).toMatchObject({ name: 'TypeError', message: 'disk on fire', code: 'EFIRE' });
    expect(received[0]!.error!.stack).toContain('log-shipper.test.ts');
    expect(received[1]).toMatchObject({
      scope: 'db',
      message: 'query failed',
      fields: { query: 'SELECT 1' },
    });
    expect(received[1]!.error!.stack).toContain('TypeError: disk on fire');
  });

  it('replaces values that cannot be encoded by a description instead of losing the record', async () => {
    const { log, received } = setup();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    log.info('odd fields', { fn: function handler() {}, sym: Symbol('s'), cyclic, ok: 1, nested: [() => 1] });
    await until(() => received.length === 1, 'the record');
    expect(received[0]!.fields).toEqual({
      fn: '[Function: handler]',
      sym: 'Symbol(s)',
      cyclic: { name: 'loop', self: '[Circular]' },
      ok: 1,
      nested: ['[Function: anonymous]'],
    });
  });

  it('caps a 1 MiB message at 64 KiB and says how much was cut', async () => {
    const { log, received } = setup();
    log.info('x'.repeat(1024 * 1024));
    await until(() => received.length === 1, 'the record');
    const message = received[0]!.message;
    expect(message.length).toBeLessThan(65 * 1024);
    expect(message).toMatch(/…\(truncated 983040 bytes\)$/);
  });

  it('replaces fields whose encoding is too large', async () => {
    const { log, received } = setup();
    log.info('big fields', { blob: 'y'.repeat(1024 * 1024) });
    await until(() => received.length === 1, 'the record');
    expect(received[0]!.message).toBe('big fields');
    expect(String(received[0]!.fields!._omitted)).toContain('over the limit');
  });

  it('a flood with a host that does not read stays bounded; suppressed + delivered = total', async () => {
    const limits = { maxBufferedRecords: 1_000, maxBufferedBytes: 256 * 1024 };
    const { log, shipper, received, batches, hostChannel, pluginChannel } = setup(limits, true);
    const total = 100_000;
    let peakRecords = 0;
    let peakBytes = 0;
    let peakChannel = 0;
    const channel = pluginChannel();
    for (let i = 0; i < total; i++) {
      log.info('flood record', { i });
      if (i % 1_000 === 0) {
        await tick(); // let the shipper send what credit allows
        peakRecords = Math.max(peakRecords, shipper.stats.bufferedRecords);
        peakBytes = Math.max(peakBytes, shipper.stats.bufferedBytes);
        peakChannel = Math.max(peakChannel, channel.bufferedAmount);
      }
    }
    peakRecords = Math.max(peakRecords, shipper.stats.bufferedRecords);
    expect(peakRecords).toBeLessThanOrEqual(limits.maxBufferedRecords);
    expect(peakBytes).toBeLessThanOrEqual(limits.maxBufferedBytes);
    // The channel queues at most a window plus one batch; the host's paused receive window holds the rest.
    expect(peakChannel).toBeLessThanOrEqual(DEFAULT_CHANNEL_WINDOW + LOG_BATCH_MAX_BYTES);
    expect(shipper.stats.droppedRecords).toBeGreaterThan(50_000);
    expect(received).toHaveLength(0);
    hostChannel()!.resume();
    await until(
      () =>
        received.length + batches.reduce((sum, b) => sum + b.suppressed, 0) === total &&
        shipper.stats.bufferedRecords === 0,
      'every record delivered or counted',
    );
    const suppressed = batches.reduce((sum, b) => sum + b.suppressed, 0);
    expect(suppressed).toBe(shipper.stats.droppedRecords);
    expect(received.length + suppressed).toBe(total);
    // What was delivered is in order, without gaps inside what was kept.
    const indices = received.map((r) => r.fields!.i as number);
    expect(indices).toEqual([...indices].sort((x, y) => x - y));
  });

  it('a tight synchronous flood never blocks and keeps the buffer bounded', () => {
    const { log, shipper } = setup({ maxBufferedRecords: 10_000 }, true);
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) log.info('tight', { i });
    expect(shipper.stats.bufferedRecords).toBeLessThanOrEqual(10_000);
    expect(shipper.stats.droppedRecords).toBe(90_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('records after dispose are dropped, and writing never throws', () => {
    const { log, shipper } = setup();
    shipper.dispose();
    expect(() => log.info('late')).not.toThrow();
    expect(shipper.stats.droppedRecords).toBe(1);
  });
});
