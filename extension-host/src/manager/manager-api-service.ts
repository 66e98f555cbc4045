import { implement, type ServiceBinding } from '@tether/sdk';
import type { LogFilter } from '../logging/log-filter.js';
import type { HostLogRecord } from '../logging/log-record.js';
import type { LogStore } from '../logging/log-store.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import { managerApi } from './manager-api.js';
import { PushIterator } from './push-iterator.js';
import type { ExtensionStats } from './stats-monitor.js';

/** The manager served as `ManagerApi`, for `peer.expose` / a binding list (the control socket, a UI bridge). */
export function managerApiBinding(manager: ExtensionHostManager): ServiceBinding {
  return implement(managerApi, {
    list: () => manager.list(),
    get: (id) => manager.get(id),
    start: (id) => manager.start(id),
    stop: (id) => manager.stop(id),
    restart: (id) => manager.restart(id),
    enable: (id) => manager.enable(id),
    disable: (id) => manager.disable(id),
    rescan: () => manager.rescan(),
    commands: () => manager.commands(),
    executeCommand: (id, args) => manager.executeCommand(id, ...args),
    grant: (id, hostApi) => manager.grant(id, hostApi),
    revoke: (id, hostApi) => manager.revoke(id, hostApi),
    queryLogs: (query) => manager.logStore.query(query),
    followLogs: (filter) => followLogs(manager.logStore, filter),
    setTracing: (on) => {
      manager.logStore.tracing = on;
    },
    traces: (query) => manager.logStore.query({ ...query, scope: 'rpc' }),
    stats: () => manager.stats(),
    followStats: () => followStats(manager),
    audit: (query) => manager.audit(query),
    onDidChangeState: manager.onDidChangeState,
    onDidChangeExtensions: manager.onDidChangeExtensions,
  });
}

/**
 * The store's live records as an async iterable of batches. The subscription's listener is held (its
 * promise pending) until the reader has taken the batch, so a slow reader makes the store queue, then drop
 * and count, for this reader only ("suppressed N records" follows); the plugins are never slowed.
 */
export function followLogs(
  store: LogStore,
  filter: LogFilter,
): AsyncIterableIterator<readonly HostLogRecord[]> {
  return new PushIterator<readonly HostLogRecord[]>((push) =>
    store.subscribe(filter, (records) => new Promise<void>((taken) => push([...records], taken))),
  );
}

/** Resource samples while the reader reads; a reader slower than the sampling gets the latest sample. */
function followStats(manager: ExtensionHostManager): AsyncIterableIterator<readonly ExtensionStats[]> {
  return new PushIterator<readonly ExtensionStats[]>((push) => manager.watchStats((stats) => push(stats)));
}
