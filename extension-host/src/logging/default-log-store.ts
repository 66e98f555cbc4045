import { LogStore } from './log-store.js';

export type { LogStore } from './log-store.js';

let store: LogStore | undefined;

/** The process-wide log store plugin clients use when none is given (created on first use). */
export function defaultLogStore(): LogStore {
  store ??= new LogStore();
  return store;
}
