// `tether run` end to end: a real extension (sample 01-greeter) started as a real process.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

const greeter = fileURLToPath(new URL('../../../sample-extensions/01-greeter', import.meta.url));

function buffers(): {
  io: { stdout: { write(t: string): boolean }; stderr: { write(t: string): boolean } };
  out(): string;
  err(): string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: {
        write: (t: string) => {
          out += t;
          return true;
        },
      },
      stderr: {
        write: (t: string) => {
          err += t;
          return true;
        },
      },
    },
    out: () => out,
    err: () => err,
  };
}

// Keep every run's log files out of the real log folder.
let scratchLogDir = '';
beforeAll(async () => {
  scratchLogDir = await mkdtemp(join(tmpdir(), 'tether-run-logs-'));
  process.env['TETHER_LOG_DIR'] = scratchLogDir;
});
afterAll(async () => {
  delete process.env['TETHER_LOG_DIR'];
  await rm(scratchLogDir, { recursive: true, force: true });
});

describe('tether run', () => {
  it('starts an extension, calls a method, prints the result and stops it', async () => {
    const b = buffers();
    expect(await main(['run', greeter, '--call', 'greeter.greet', 'world'], b.io)).toBe(0);
    expect(b.out()).toBe("'Hello, world!'\n");
    const j = buffers();
    expect(await main(['run', greeter, '--json', '--call', 'greeter.greet', '"JSON"'], j.io)).toBe(0);
    expect(j.out()).toBe('"Hello, JSON!"\n');
  });

  it('writes the extension’s log records through electron-log where tether logs reads them', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'tether-logs-'));
    process.env['TETHER_LOG_DIR'] = logDir;
    try {
      expect(await main(['run', greeter, '--call', 'greeter.greet', 'logs'], buffers().io)).toBe(0);
      const shown = buffers();
      expect(await main(['logs', '@tether-samples/greeter', '--log-dir', logDir], shown.io)).toBe(0);
      expect(shown.out()).toMatch(/INFO.*greeting.*"name":"logs"/);
      // Its folder names it too (issue 15).
      const byFolder = buffers();
      expect(await main(['logs', greeter, '--log-dir', logDir], byFolder.io)).toBe(0);
      expect(byFolder.out()).toBe(shown.out());
    } finally {
      process.env['TETHER_LOG_DIR'] = scratchLogDir;
      await rm(logDir, { recursive: true, force: true });
    }
  });

  it('says what to add when the manifest has no handshake', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tether-cli-'));
    try {
      await mkdir(join(dir, 'src'));
      await writeFile(join(dir, 'src', 'plugin.js'), '');
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'no-cookie',
          version: '1.0.0',
          tether: { entry: 'src/plugin.js', runner: 'node', services: { greeter: [1] }, host: '>=0.1.0' },
        }),
      );
      const b = buffers();
      expect(await main(['run', dir, '--call', 'greeter.greet', 'x'], b.io)).toBe(1);
      expect(b.err()).toContain('tether.handshake');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
