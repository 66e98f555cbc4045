import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { formatLogLine } from '../logging/format-log-line.js';
import type { LogLevel } from '../logging/log-record.js';
import { logsCommand } from './logs-command.js';
import { main } from './main.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function line(level: LogLevel, message: string, extra = {}): string {
  return `${formatLogLine({ time: Date.UTC(2024, 4, 1), level, scope: 'main', message, ...extra })}\n`;
}

async function logDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tether-cli-logs-'));
  dirs.push(dir);
  await writeFile(path.join(dir, '_acme_kv.old.log'), line('info', 'from the old file'));
  await writeFile(
    path.join(dir, '_acme_kv.log'),
    line('debug', 'noise') +
      line('warn', 'slow query', { fields: { ms: 812 } }) +
      line('error', 'crashed', {
        error: { name: 'TypeError', message: 'x', stack: 'TypeError: x\n    at f (a.js:1:1)' },
      }),
  );
  return dir;
}

function capture(isTTY = false): {
  stdout: { write(t: string): void; isTTY: boolean };
  stderr: { write(t: string): void };
  out(): string;
  err(): string;
} {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t) => void (out += t), isTTY },
    stderr: { write: (t) => void (err += t) },
    out: () => out,
    err: () => err,
  };
}

describe('tether logs', () => {
  it('prints the old then the current file, filtered by level with continuation lines', async () => {
    const dir = await logDir();
    const io = capture();
    expect(await main(['logs', '@acme/kv', '--log-dir', dir], io)).toBe(0);
    expect(io.out()).toContain('from the old file');
    expect(io.out()).toContain('DEBUG [main] noise');
    const warn = capture();
    expect(await main(['logs', '@acme/kv', '--log-dir', dir, '--level', 'warn'], warn)).toBe(0);
    expect(warn.out().split('\n')).toEqual([
      '2024-05-01T00:00:00.000Z WARN  [main] slow query {"ms":812}',
      '2024-05-01T00:00:00.000Z ERROR [main] crashed',
      '    TypeError: x',
      '        at f (a.js:1:1)',
      '',
    ]);
    expect(warn.out()).not.toContain('\u001b[');
  });

  it('colours by level on a terminal', async () => {
    const dir = await logDir();
    const io = capture(true);
    await logsCommand({ extension: '@acme/kv', follow: false, logDir: dir }, io);
    expect(io.out()).toContain('\u001b[33mWARN \u001b[0m');
    expect(io.out()).toContain('\u001b[31m [main] crashed\u001b[0m');
  });

  it('says where it looked when there are no logs', async () => {
    const dir = await logDir();
    const io = capture();
    expect(await main(['logs', 'nope', '--log-dir', dir], io)).toBe(1);
    expect(io.err()).toMatch(/no logs for "nope" in .*nope\.log.*tether run/);
  });

  it('takes the extension’s folder: its package.json names it', async () => {
    const dir = await logDir();
    const extension = await mkdtemp(path.join(tmpdir(), 'tether-cli-logs-ext-'));
    dirs.push(extension);
    await writeFile(path.join(extension, 'package.json'), JSON.stringify({ name: '@acme/kv' }));
    const byFolder = capture();
    expect(await main(['logs', extension, '--log-dir', dir, '--level', 'warn'], byFolder)).toBe(0);
    const byName = capture();
    expect(await main(['logs', '@acme/kv', '--log-dir', dir, '--level', 'warn'], byName)).toBe(0);
    expect(byFolder.out()).toBe(byName.out());
    expect(byFolder.out()).toContain('slow query');

    const notAnExtension = capture();
    expect(await main(['logs', dir, '--log-dir', dir], notAnExtension)).toBe(1);
    expect(notAnExtension.err()).toBe(
      `tether: ${dir} is a folder, but not an extension's: it has no package.json with a "name". Pass the folder of an extension, or its name (as in its package.json).\n`,
    );
  });

  it('an unknown name: the closest name with logs, else the names that have some', async () => {
    const dir = await logDir();
    await writeFile(path.join(dir, 'greeter.log'), line('info', 'hello'));
    await writeFile(path.join(dir, 'notes.old.log'), line('info', 'old notes'));
    const typo = capture();
    expect(await main(['logs', '@acme/kb', '--log-dir', dir], typo)).toBe(1);
    expect(typo.err()).toContain(
      `no logs for "@acme/kb" in ${dir} (looked for _acme_kb.log). Did you mean "@acme/kv"? Start it with`,
    );
    const suggested = capture();
    expect(await main(['logs', '@acme/kv', '--log-dir', dir], suggested)).toBe(0);
    const unknown = capture();
    expect(await main(['logs', 'frobnicator', '--log-dir', dir], unknown)).toBe(1);
    expect(unknown.err()).toContain(
      '(looked for frobnicator.log). There are logs for "@acme/kv", "greeter", "notes". Start it with',
    );
  });

  it('--follow prints appended lines, across a rotation, until stopped', async () => {
    const dir = await logDir();
    const file = path.join(dir, '_acme_kv.log');
    const io = capture();
    const controller = new AbortController();
    const done = logsCommand(
      { extension: '@acme/kv', follow: true, level: 'info', logDir: dir },
      { ...io, signal: controller.signal, pollMs: 10 },
    );
    const printed = (text: string): Promise<boolean> =>
      waitFor(() => io.out().includes(text), { what: () => `"${text}" to be printed; got:\n${io.out()}` });
    await printed('crashed');
    await appendFile(file, line('info', 'appended'));
    await printed('appended');
    await appendFile(file, line('debug', 'filtered out'));
    await writeFile(file, line('warn', 'after rotation')); // smaller than before: a new file
    await printed('after rotation');
    controller.abort();
    expect(await done).toBe(0);
    expect(io.out()).not.toContain('filtered out');
  });
});
