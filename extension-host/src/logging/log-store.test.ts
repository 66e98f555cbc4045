import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import type { HostLogRecord, LogLevel, LogRecord } from './log-record.js';
import { LogStore } from './log-store.js';

function record(message: string, level: LogLevel = 'info', extra: Partial<LogRecord> = {}): LogRecord {
  return { time: Date.now(), level, scope: 'test', message, ...extra };
}

describe('LogStore', () => {
  it('keeps a bounded ring per extension, oldest evicted first', () => {
    const store = new LogStore({ maxRecordsPerExtension: 10 });
    for (let i = 0; i < 25; i++) store.append('a', record(`a${i}`));
    store.append('b', record('b0'));
    const page = store.query({ extension: 'a', limit: 100 });
    expect(page.records.map((r) => r.message)).toEqual(Array.from({ length: 10 }, (_, i) => `a${i + 15}`));
    expect(store.stats('a')).toMatchObject({ records: 10, evicted: 15 });
    expect(store.query({ extension: 'b' }).records).toHaveLength(1);
  });

  it('bounds the bytes per extension, and cuts over-long messages', () => {
    const store = new LogStore({ maxBytesPerExtension: 100_000, maxMessageChars: 10_000 });
    for (let i = 0; i < 100; i++) store.append('a', record('x'.repeat(1024 * 1024)));
    const { records, bytes } = store.stats('a');
    expect(bytes).toBeLessThanOrEqual(100_000);
    expect(records).toBeGreaterThan(1);
    const [first] = store.query({ extension: 'a', limit: 1 }).records;
    expect(first!.message.length).toBeLessThan(10_100);
    expect(first!.message).toMatch(/… \[1038576 more chars]$/);
  });

  it('filters by level, text, scope and time range', () => {
    const store = new LogStore();
    store.append('a', record('connected to db', 'info', { time: 1000, scope: 'db' }));
    store.append('a', record('slow query', 'warn', { time: 2000, scope: 'db', fields: { table: 'Users' } }));
    store.append(
      'a',
      record('boom', 'error', { time: 3000, error: { name: 'TypeError', message: 'x is undefined' } }),
    );
    store.append('b', record('other', 'error', { time: 2500 }));
    const messages = (page: { records: HostLogRecord[] }): string[] => page.records.map((r) => r.message);
    expect(messages(store.query({ minLevel: 'warn' }))).toEqual(['slow query', 'boom', 'other']); // arrival order
    expect(messages(store.query({ extension: 'a', minLevel: 'warn' }))).toEqual(['slow query', 'boom']);
    expect(messages(store.query({ text: 'USERS' }))).toEqual(['slow query']);
    expect(messages(store.query({ text: 'typeerror' }))).toEqual(['boom']);
    expect(messages(store.query({ scope: 'db' }))).toEqual(['connected to db', 'slow query']);
    expect(messages(store.query({ since: 2000, until: 2500 }))).toEqual(['slow query', 'other']);
  });

  it('pages forward and backward by cursor across extensions', () => {
    const store = new LogStore();
    for (let i = 0; i < 10; i++) store.append(i % 2 === 0 ? 'a' : 'b', record(`m${i}`));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = store.query({ limit: 3, cursor });
      if (page.records.length === 0) break;
      seen.push(...page.records.map((r) => r.message));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    // Forward paging resumes when new records arrive.
    store.append('a', record('late'));
    expect(store.query({ cursor }).records.map((r) => r.message)).toEqual(['late']);

    const back: string[] = [];
    let page = store.query({ order: 'desc', limit: 4 });
    back.push(...page.records.map((r) => r.message));
    while (page.nextCursor !== undefined) {
      page = store.query({ order: 'desc', limit: 4, cursor: page.nextCursor });
      back.push(...page.records.map((r) => r.message));
    }
    expect(back).toEqual(['late', ...Array.from({ length: 10 }, (_, i) => `m${9 - i}`)]);
    expect(() => store.query({ cursor: 'nope' })).toThrow(/cursor/);
  });

  it('does not keep records below its level, and says so through accepts()', () => {
    const store = new LogStore({ minLevel: 'info' });
    expect(store.accepts('debug')).toBe(false);
    expect(store.append('a', record('dbg', 'debug'))).toBeUndefined();
    store.append('a', record('inf'));
    expect(store.query().records.map((r) => r.message)).toEqual(['inf']);
    store.minLevel = 'trace';
    expect(store.accepts('trace')).toBe(true);
    expect(() => new LogStore({ minLevel: 'loud' as LogLevel })).toThrow(/one of trace/);
  });

  it('delivers live records in batches to subscribers that match', async () => {
    const store = new LogStore();
    const got: string[] = [];
    const sub = store.subscribe({ extension: 'a', minLevel: 'warn' }, (batch) => {
      got.push(...batch.map((r) => r.message));
    });
    // A barrier: the same synchronous appends schedule both deliveries, so once this catch-all subscriber
    // has its batch, `sub` has had its own.
    const all: string[] = [];
    store.subscribe({}, (batch) => void all.push(...batch.map((r) => r.message)));
    store.append('a', record('info', 'info'));
    store.append('a', record('warn', 'warn'));
    store.append('b', record('other b', 'error'));
    store.append('a', record('error', 'error'));
    expect(got).toEqual([]); // never synchronously: the producer does not run listeners
    await waitFor(() => all.length === 4, { what: 'the catch-all subscriber to get all 4 records' });
    expect(got).toEqual(['warn', 'error']);
    sub.dispose();
    store.append('a', record('after', 'error'));
    await waitFor(() => all.includes('after'), { what: "the catch-all subscriber to get 'after'" });
    expect(got).toEqual(['warn', 'error']);
  });

  it('drops and counts for a slow subscriber, never blocking the producer, then reports the loss', async () => {
    const store = new LogStore();
    const got: HostLogRecord[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    store.subscribe(
      {},
      (batch) => {
        got.push(...batch);
        return calls++ === 0 ? gate : undefined;
      },
      { maxQueue: 100 },
    );
    store.append('a', record('first'));
    await waitFor(() => got.length === 1, { what: 'the first batch' }); // the subscriber is now busy until `gate`
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) store.append('a', record(`flood ${i}`));
    // The flood ran without the busy subscriber (appends never wait for it). The bound is generous, not a
    // figure: it only catches appends that got slower with the subscriber's backlog (quadratic work).
    expect(got).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(10_000);
    release();
    await waitFor(() => got.at(-1)?.fields?.['suppressed'] !== undefined, {
      what: 'the suppressed-records report',
    });
    expect(got.map((r) => r.message)).toEqual([
      'first',
      ...Array.from({ length: 100 }, (_, i) => `flood ${i}`),
      'suppressed 99900 records',
    ]);
    expect(got.at(-1)).toMatchObject({ level: 'warn', extension: 'a', fields: { suppressed: 99_900 } });
    // The store's own history is bounded too.
    expect(store.stats('a').records).toBe(5000);
  });

  it('keeps RPC traffic only when tracing is on', () => {
    const store = new LogStore();
    const trace = { extension: 'a', service: 'kv', method: 'get', durationMs: 1.25, bytes: 42 };
    store.recordRpc(trace);
    expect(store.query().records).toHaveLength(0);
    store.tracing = true;
    store.recordRpc(trace);
    store.recordRpc({ ...trace, method: 'set', error: 'RPC_TIMEOUT' });
    const records = store.query({ scope: 'rpc' }).records;
    expect(records.map((r) => [r.level, r.message])).toEqual([
      ['info', '→ kv.get 1.3 ms 42 B'],
      ['error', '→ kv.set 1.3 ms 42 B failed: RPC_TIMEOUT'],
    ]);
    expect(records[0]!.fields).toEqual({
      direction: 'outgoing',
      service: 'kv',
      method: 'get',
      durationMs: 1.25,
      bytes: 42,
    });
  });

  it('traces one extension at a time while tracing of all is off', () => {
    const store = new LogStore();
    const trace = { service: 'kv', method: 'get', durationMs: 2, bytes: 30, bytesOut: 10, bytesIn: 20 };
    store.traceExtension('a', true);
    expect([store.isTracing('a'), store.isTracing('b'), store.tracedExtensions]).toEqual([
      true,
      false,
      ['a'],
    ]);
    store.recordRpc({ ...trace, extension: 'a', direction: 'incoming' });
    store.recordRpc({ ...trace, extension: 'b' });
    const records = store.query({ scope: 'rpc' }).records;
    expect(records.map((r) => [r.extension, r.message])).toEqual([['a', '← kv.get 2.0 ms 30 B']]);
    expect(records[0]!.fields).toMatchObject({ direction: 'incoming', bytesOut: 10, bytesIn: 20 });
    store.traceExtension('a', false);
    store.recordRpc({ ...trace, extension: 'a' });
    expect(store.query({ scope: 'rpc' }).records).toHaveLength(1);
  });

  it('feeds sinks with every kept record', () => {
    const store = new LogStore({ minLevel: 'info' });
    const written: string[] = [];
    const sink = store.addSink({ write: (r) => written.push(`${r.extension}:${r.message}`) });
    store.append('a', record('one'));
    store.append('a', record('hidden', 'debug'));
    store.appendSuppressed('a', 3);
    sink.dispose();
    store.append('a', record('two'));
    expect(written).toEqual(['a:one', 'a:suppressed 3 records']);
  });
});
