import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import electronLog from 'electron-log/node.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ElectronLogSink } from './electron-log-sink.js';
import type { HostLogRecord } from './log-record.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

let seq = 0;
const record = (
  extension: string,
  message: string,
  level: HostLogRecord['level'] = 'info',
): HostLogRecord => ({
  extension,
  seq: ++seq,
  time: Date.UTC(2024, 4, 1),
  level,
  scope: 'main',
  message,
});

describe('ElectronLogSink', () => {
  it('writes one file per extension through electron-log, in the log file format, with rotation', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tether-electron-log-'));
    dirs.push(dir);
    const sink = new ElectronLogSink({ dir, maxFileBytes: 2000 });
    sink.write(record('@acme/kv', 'hello', 'warn'));
    sink.write(record('@acme/kv', 'tracing', 'trace'));
    await sink.flush();
    const text = await readFile(path.join(dir, '_acme_kv.log'), 'utf8');
    expect(text).toBe(
      '2024-05-01T00:00:00.000Z WARN  [main] hello\n2024-05-01T00:00:00.000Z TRACE [main] tracing\n',
    );
    for (let i = 0; i < 100; i++) {
      sink.write(record('other', `line ${i} ${'x'.repeat(40)}`));
      if (i % 10 === 9) await sink.flush();
    }
    await sink.flush();
    expect((await readdir(dir)).sort()).toEqual(['_acme_kv.log', 'other.log', 'other.old.log']);
    expect(await readFile(path.join(dir, 'other.log'), 'utf8')).toContain('line 99 ');
  });

  it('names the app for electron-log per logger, leaving electron-log’s shared app name alone (issue 10)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tether-electron-log-'));
    dirs.push(dir);
    const shared = (electronLog as unknown as { dependencies: { externalApi: { appName?: string } } })
      .dependencies.externalApi;
    const before = shared.appName;
    const sink = new ElectronLogSink({ dir });
    sink.write(record('@acme/named', 'hello'));
    await sink.flush();
    expect(await readFile(path.join(dir, '_acme_named.log'), 'utf8')).toContain('hello');
    expect(shared.appName).toBe(before);
  });

  it('removes an extension’s files, the rotated one too (uninstall --purge)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tether-electron-log-'));
    dirs.push(dir);
    const sink = new ElectronLogSink({ dir, maxFileBytes: 1000 });
    for (let i = 0; i < 40; i++) {
      sink.write(record('gone', `line ${i} ${'x'.repeat(40)}`));
      if (i % 10 === 9) await sink.flush();
    }
    sink.write(record('kept', 'hello'));
    await sink.flush();
    expect((await readdir(dir)).sort()).toEqual(['gone.log', 'gone.old.log', 'kept.log']);
    await sink.remove('gone');
    expect(await readdir(dir)).toEqual(['kept.log']);
  });

  it('drops and counts instead of queueing without bound', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tether-electron-log-'));
    dirs.push(dir);
    const sink = new ElectronLogSink({ dir, maxQueueChars: 5_000 });
    for (let i = 0; i < 20_000; i++) sink.write(record('a', `flood ${i}`));
    await sink.flush();
    sink.write(record('a', 'after'));
    await sink.flush();
    const text = await readFile(path.join(dir, 'a.log'), 'utf8');
    const suppressed = Number(/suppressed (\d+) records/.exec(text)?.[1]);
    const written = text.split('\n').filter((l) => l.includes('flood')).length;
    expect(suppressed).toBeGreaterThan(0);
    expect(written + suppressed).toBe(20_000);
  });
});
