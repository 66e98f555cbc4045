// How `tether install` shows its progress on a terminal and in a log.
import { describe, expect, it } from 'vitest';
import type { InstallProgress } from '../install/extension-installer.js';
import { installedLine } from './install-command.js';
import { InstallProgressPrinter } from './install-progress-printer.js';

function printed(progress: readonly InstallProgress[], isTTY: boolean): string {
  let text = '';
  const printer = new InstallProgressPrinter({ isTTY, write: (chunk: string) => (text += chunk) } as never);
  for (const item of progress) printer.print(item);
  printer.end();
  return text;
}

const KiB = 1024;
/** A download of 100 KiB reported every 1 KiB, then the steps after it. */
const install: InstallProgress[] = [
  ...Array.from({ length: 101 }, (_, i) => ({
    phase: 'download' as const,
    bytes: i * KiB,
    total: 100 * KiB,
    bytesPerSecond: 50 * KiB,
  })),
  { phase: 'verify' },
  { phase: 'extract' },
  { phase: 'activate' },
  { phase: 'trial-start' },
  { phase: 'done', id: 'kv', version: '1.0.0', signed: true },
];

describe('install progress', () => {
  it('piped: a download line every 10 %, then a line per step', () => {
    const lines = printed(install, false).split('\n');
    expect(lines.filter((line) => line.startsWith('downloading: '))).toEqual(
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map(
        (percent) =>
          `downloading: ${percent === 0 ? '0 B' : `${percent.toFixed(1)} KiB`} of 100.0 KiB (${percent}%), 50.0 KiB/s`,
      ),
    );
    expect(lines.slice(-5)).toEqual([
      'verifying the signature…',
      'unpacking…',
      'putting it in place…',
      'starting it once to try it…',
      '',
    ]);
  });

  it('piped, size unknown: a line each time the byte count has doubled', () => {
    const unknown: InstallProgress[] = [1, 2, 3, 4, 7, 8, 100].map((k) => ({
      phase: 'download',
      bytes: k * KiB,
      bytesPerSecond: KiB,
    }));
    expect(printed(unknown, false).match(/^downloading: \S+/gm)).toEqual([
      'downloading: 1.0',
      'downloading: 2.0',
      'downloading: 4.0',
      'downloading: 8.0',
      'downloading: 100.0',
    ]);
  });

  it('on a terminal: one download line rewritten in place, ended before the next step', () => {
    const text = printed(install.slice(99), true);
    expect(text).toBe(
      '\rdownloading: 99.0 KiB of 100.0 KiB (99%), 50.0 KiB/s\x1b[K' +
        '\rdownloading: 100.0 KiB of 100.0 KiB (100%), 50.0 KiB/s\x1b[K\n' +
        'verifying the signature…\nunpacking…\nputting it in place…\nstarting it once to try it…\n',
    );
  });

  it('says who signed what was installed, or that nobody did', () => {
    const base = { phase: 'done', id: '@acme/kv', version: '1.2.0' } as const;
    expect(installedLine({ ...base, signed: true, keyId: '0a1b', publisher: 'Acme' })).toBe(
      'installed @acme/kv@1.2.0 (signed by Acme 0a1b)',
    );
    expect(installedLine({ ...base, signed: true, keyId: '0a1b', previousVersion: '1.1.0' })).toBe(
      'installed @acme/kv@1.2.0 (signed by key 0a1b), replacing 1.1.0',
    );
    expect(installedLine({ ...base, signed: false })).toBe(
      'installed @acme/kv@1.2.0 (UNSIGNED — development only)',
    );
  });
});
