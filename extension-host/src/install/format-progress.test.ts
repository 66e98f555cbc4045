import { describe, expect, it } from 'vitest';
import { formatBytes, formatProgress } from './format-progress.js';

describe('formatBytes', () => {
  it('uses binary units, whole bytes below 1 KiB and one decimal above', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatBytes(5 * 1024 ** 5)).toBe('5120.0 TiB');
  });
});

describe('formatProgress', () => {
  it('shows bytes of total, the percentage (rounded down) and the rate', () => {
    expect(
      formatProgress({
        bytes: 1.2 * 1024 * 1024,
        total: 4 * 1024 * 1024,
        percent: 29.99,
        bytesPerSecond: 870_400,
      }),
    ).toBe('1.2 MiB of 4.0 MiB (29%), 850.0 KiB/s');
    expect(formatProgress({ bytes: 10, total: 10, percent: 100, bytesPerSecond: 0 })).toBe(
      '10 B of 10 B (100%), 0 B/s',
    );
  });

  it('shows bytes and rate when the size is unknown', () => {
    expect(formatProgress({ bytes: 2048, bytesPerSecond: 1024 })).toBe('2.0 KiB, 1.0 KiB/s');
  });
});
