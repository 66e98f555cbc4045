import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogSink } from './file-log-sink.js';
import { formatLogLine, logFileName, parseLogFileLevel } from './format-log-line.js';
import type { HostLogRecord } from './log-record.js';
import { LogStore } from './log-store.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tether-logs-'));
  dirs.push(dir);
  return path.join(dir, 'logs'); // not created yet: the sink creates it
}

let seq = 0;
function record(extension: string, message: string, extra: Partial<HostLogRecord> = {}): HostLogRecord {
  return {
    extension,
    seq: ++seq,
    time: Date.UTC(2024, 4, 1, 10, 0, 0),
    level: 'info',
    scope: 'main',
    message,
    ...extra,
  };
}

describe('log file lines', () => {
  it('formats time, level, scope, message, fields and the error stack', () => {
    expect(formatLogLine(record('a', 'hello', { fields: { n: 1n, tags: new Set(['x']) } }))).toBe(
      '2024-05-01T10:00:00.000Z INFO  [main] hello {"n":"1n","tags":["x"]}',
    );
    // The root logger's scope is '': no empty brackets.
    expect(formatLogLine({ ...record('a', 'plain'), scope: '' })).toBe(
      '2024-05-01T10:00:00.000Z INFO  plain',
    );
    expect(parseLogFileLevel(formatLogLine({ ...record('a', 'plain'), scope: '' }))).toBe('info');
    const line = formatLogLine(
      record('a', 'failed\nsecond line', {
        level: 'error',
        error: { name: 'TypeError', message: 'x', stack: 'TypeError: x\n    at f (a.js:1:1)' },
      }),
    );
    expect(line.split('\n')).toEqual([
      '2024-05-01T10:00:00.000Z ERROR [main] failed',
      '    second line',
      '    TypeError: x',
      '        at f (a.js:1:1)',
    ]);
    expect(line.split('\n').map(parseLogFileLevel)).toEqual(['error', undefined, undefined, undefined]);
  });

  it('names files after the extension, safely', () => {
    expect(logFileName('kv-store')).toBe('kv-store.log');
    expect(logFileName('@acme/kv')).toBe('_acme_kv.log');
    expect(logFileName('../../etc/passwd')).toBe('__.._etc_passwd.log');
  });
});

describe('FileLogSink', () => {
  it('writes one file per extension, fed by the store', async () => {
    const dir = await tempDir();
    const sink = new FileLogSink({ dir });
    const store = new LogStore();
    store.addSink(sink);
    store.append('a', record('a', 'one'));
    store.append('@x/b', record('@x/b', 'two', { level: 'warn' }));
    store.append('a', record('a', 'three'));
    await sink.flush();
    expect((await readdir(dir)).sort()).toEqual(['_x_b.log', 'a.log']);
    expect(await readFile(path.join(dir, 'a.log'), 'utf8')).toMatch(
      /INFO {2}\[main\] one\n.*INFO {2}\[main\] three\n$/,
    );
    expect(await readFile(sink.fileFor('@x/b'), 'utf8')).toContain('WARN  [main] two');
  });

  it('rotates at the size limit, keeping one old file', async () => {
    const dir = await tempDir();
    const sink = new FileLogSink({ dir, maxFileBytes: 1000 });
    for (let i = 0; i < 60; i++) {
      sink.write(record('a', `line ${i} ${'x'.repeat(50)}`));
      if (i % 10 === 9) await sink.flush();
    }
    await sink.flush();
    expect((await readdir(dir)).sort()).toEqual(['a.log', 'a.old.log']);
    const current = await readFile(path.join(dir, 'a.log'), 'utf8');
    const old = await readFile(path.join(dir, 'a.old.log'), 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(1000);
    expect(current).toContain('line 59 ');
    expect(old).not.toContain('line 59 ');
  });

  it('removes an extension’s files, the rotated one too, and leaves the others (uninstall --purge)', async () => {
    const dir = await tempDir();
    const sink = new FileLogSink({ dir, maxFileBytes: 1000 });
    for (let i = 0; i < 30; i++) {
      sink.write(record('a', `line ${i} ${'x'.repeat(50)}`));
      if (i % 10 === 9) await sink.flush();
    }
    sink.write(record('b', 'kept'));
    await sink.flush();
    expect((await readdir(dir)).sort()).toEqual(['a.log', 'a.old.log', 'b.log']);
    sink.write(record('a', 'pending while removed'));
    await sink.remove('a');
    expect(await readdir(dir)).toEqual(['b.log']);
    sink.write(record('a', 'after'));
    await sink.flush();
    expect(await readFile(path.join(dir, 'a.log'), 'utf8')).toMatch(/\] after\n$/);
  });

  it('never blocks: drops past its queue bound and writes how many', async () => {
    const dir = await tempDir();
    const sink = new FileLogSink({ dir, maxQueueChars: 10_000 });
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) sink.write(record('a', `flood ${i}`));
    // write() never waits for the disk; the bound only catches work growing with the queue (a quiet
    // machine takes ~100-300 ms; a loaded one several times that, so the bound is generous).
    expect(performance.now() - started).toBeLessThan(15_000);
    await sink.flush();
    const text = await readFile(path.join(dir, 'a.log'), 'utf8');
    const match = /suppressed (\d+) records/.exec(text);
    expect(match).not.toBeNull();
    const written = text.split('\n').filter((l) => l.includes('flood')).length;
    expect(written + Number(match![1])).toBe(100_000);
  });

  it('survives an unwritable folder without throwing', async () => {
    const dir = await tempDir();
    await mkdir(path.dirname(dir), { recursive: true });
    await writeFile(dir, 'a file, not a folder');
    const sink = new FileLogSink({ dir: path.join(dir, 'sub') });
    sink.write(record('a', 'lost'));
    await sink.flush();
    expect(sink.lastError).toBeInstanceOf(Error);
  });
});
