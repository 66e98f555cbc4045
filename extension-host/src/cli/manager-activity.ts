// What a host in a terminal prints about its manager (`tether host`, `tether dev`, the app's `npm start`):
// a line per extension found or removed, per state change, and the manager's own warnings.
import type { Disposable } from '@tether/sdk';
import { formatLogLine } from '../logging/format-log-line.js';
import { MANAGER_LOG_NAME, type ExtensionHostManager } from '../manager/extension-host-manager.js';
import { clockTime, extensionLine, stateChangeLine } from './state-change-line.js';

/**
 * Prints, through `say` (one line each, no newline): each state change (`14:02:07 @acme/kv starting →
 * running`), extensions found and removed, and the manager's warnings — those it logged already (a damaged
 * state file set aside at its start…), then each new one (a refused connection…). Dispose to stop.
 */
export function reportManagerActivity(
  manager: ExtensionHostManager,
  say: (line: string) => void,
): Disposable {
  const subscriptions: Disposable[] = [
    manager.onDidChangeState((change) => say(stateChangeLine(change, new Date()))),
    manager.onDidChangeExtensions(({ added, removed }) => {
      const now = new Date();
      for (const snapshot of added) say(`${extensionLine(snapshot, now)} (found)`);
      for (const id of removed) say(`${clockTime(now)} ${id} removed`);
    }),
  ];
  const managerLogs = { extension: MANAGER_LOG_NAME, minLevel: 'warn' } as const;
  for (const record of manager.logStore.query({ ...managerLogs, limit: 100 }).records)
    say(formatLogLine(record));
  subscriptions.push(
    manager.logStore.subscribe(managerLogs, (records) => {
      for (const record of records) say(formatLogLine(record));
    }),
  );
  return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
}
