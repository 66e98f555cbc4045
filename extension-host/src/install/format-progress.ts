import type { DownloadProgress } from './download-options.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A byte count for people: `512 B`, `1.5 KiB`, `12.3 MiB` (binary units, one decimal from KiB up). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * One line of download progress for the CLI: `1.2 MiB of 4.0 MiB (30%), 850.0 KiB/s`, or without a known
 * total `1.2 MiB, 850.0 KiB/s`.
 */
export function formatProgress(progress: DownloadProgress): string {
  const rate = `${formatBytes(progress.bytesPerSecond)}/s`;
  if (progress.total === undefined) return `${formatBytes(progress.bytes)}, ${rate}`;
  const percent = Math.floor(
    progress.percent ?? (progress.total === 0 ? 100 : (progress.bytes / progress.total) * 100),
  );
  return `${formatBytes(progress.bytes)} of ${formatBytes(progress.total)} (${percent}%), ${rate}`;
}
