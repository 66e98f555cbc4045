// The manager's API for user interfaces — the app's UI, `tether list|start|…`, the devtools panel — as a
// Tether service contract: every UI holds a `Remote<ManagerApi>` over whatever transport it has (a MessagePort
// in Electron, a WebSocket in a browser, the control socket for the CLI). Imports only the sdk and types, so
// a browser bundle can import it.
import { defineService, type Event } from '@tether/sdk';
import type { LogFilter } from '../logging/log-filter.js';
import type { HostLogRecord } from '../logging/log-record.js';
import type { LogPage, LogQuery } from '../logging/log-store.js';
import type { ExtensionSnapshot, ExtensionStateChange } from './extension-state.js';
import type { ExtensionStats } from './stats-monitor.js';

/** A command an extension contributes (its manifest's `contributes.commands`). */
export interface ContributedCommand {
  readonly id: string;
  readonly title: string;
  readonly arguments?: string;
  /** The extension that runs it. */
  readonly extension: string;
}

/** Extensions that appeared or went away (a folder added or removed, a rescan). */
export interface ExtensionListChange {
  readonly added: readonly ExtensionSnapshot[];
  readonly removed: readonly string[];
}

export interface ManagerApi {
  /** Every extension, valid or not. */
  list(): ExtensionSnapshot[];
  get(id: string): ExtensionSnapshot;
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  restart(id: string): Promise<void>;
  enable(id: string): Promise<void>;
  disable(id: string): Promise<void>;
  /** Looks at the extension folders again. */
  rescan(): Promise<void>;
  commands(): ContributedCommand[];
  executeCommand(id: string, args: unknown[]): Promise<unknown>;
  grant(id: string, hostApi: string): Promise<void>;
  revoke(id: string, hostApi: string): Promise<void>;
  /** A page of log records (every extension, or `query.extension`). */
  queryLogs(query: LogQuery): LogPage;
  /**
   * Live log records as batches, oldest first, with backpressure: batches are produced as fast as the
   * caller reads; a caller that falls behind gets a "suppressed N records" record instead of the ones
   * it could not take, and the host never waits for it.
   */
  followLogs(filter: LogFilter): AsyncIterable<readonly HostLogRecord[]>;
  /** RPC traffic records (kept while tracing is on). */
  setTracing(on: boolean): void;
  traces(query: Omit<LogQuery, 'scope'>): LogPage;
  /** Resource figures now. */
  stats(): Promise<ExtensionStats[]>;
  /** Resource figures every sampling period while the caller reads (sampling runs only then). */
  followStats(): AsyncIterable<readonly ExtensionStats[]>;
  /** Refused host API calls and refused connections. */
  audit(query: Omit<LogQuery, 'scope'>): LogPage;
  readonly onDidChangeState: Event<ExtensionStateChange>;
  readonly onDidChangeExtensions: Event<ExtensionListChange>;
}

/** The contract's identifier: `peer.remote(managerApi)` on a UI, `implement(managerApi, …)` on the host. */
export const managerApi = defineService<ManagerApi>()('tether.manager', {
  methods: {
    list: {},
    get: {},
    start: {},
    stop: {},
    restart: {},
    enable: {},
    disable: {},
    rescan: {},
    commands: {},
    executeCommand: {},
    grant: {},
    revoke: {},
    queryLogs: {},
    followLogs: {},
    setTracing: {},
    traces: {},
    stats: {},
    followStats: {},
    audit: {},
  },
  events: { onDidChangeState: true, onDidChangeExtensions: true },
});
