// Figures as the tables show them: short, fixed units, an en dash for "not known".

export const NONE = '–';

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return NONE;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return NONE;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatPercent(value: number | undefined): string {
  return value === undefined ? NONE : `${value.toFixed(1)} %`;
}

export function formatRate(value: number | undefined): string {
  if (value === undefined) return NONE;
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}

/** `14:03:07.123` in local time. */
export function formatClock(time: number): string {
  const date = new Date(time);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A `datetime-local` input's value for `time`, and back (undefined for an empty input). */
export function toLocalInput(time: number | undefined): string {
  if (time === undefined) return '';
  const date = new Date(time - new Date(time).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 19);
}

export function fromLocalInput(value: string): number | undefined {
  if (value === '') return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : time;
}
