// The manager's API for user interfaces — the app's UI, `tether list|start|…`, the devtools panel — as a
// Tether service contract: every UI holds a `Remote<ManagerApi>` over whatever transport it has (a MessagePort
// in Electron, a WebSocket in a browser, the control socket for the CLI). Imports only the sdk and types, so
// a browser bundle can import it.
import { defineService, type Event } from '@tether/sdk';
import type { InstallProgress } from '../install/extension-installer.js';
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

/**
 * The choices a UI may make for an install (`ManagerApi.install`); the installer's other options (callbacks)
 * are the host's own and never taken from a caller.
 */
export interface InstallRequestOptions {
  /** Accept a package with no signature (development; every start of it logs a warning). */
  readonly allowUnsigned?: boolean;
  /** Install an older version than the installed one, or the same version again. */
  readonly force?: boolean;
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
  /**
   * Installs (or upgrades) an extension, as `ExtensionHostManager.install` does: the stream gives each step
   * as it comes (`download` items while a URL downloads, then `verify`, `extract`, `activate`, `trial-start`)
   * and ends with the `done` item. A refused or failed install fails the stream with its InstallError, whose
   * `code` arrives intact (NOT_SIGNED, UNTRUSTED_PUBLISHER, BAD_SIGNATURE, INSTALL_FAILED…); nothing changed.
   *
   * `source` is a `.tgz` path, an extension folder or an https:// URL **as the host sees it**: a path names a
   * file on the host's machine. A UI that lets its user pick or drop a file must get it to the host first.
   * The install goes on if the reader stops reading; a reader that falls behind gets the latest `download`
   * item in place of those it missed, never fewer steps.
   */
  install(source: string, options: InstallRequestOptions): AsyncIterable<InstallProgress>;
  /**
   * Stops an extension the manager installed and removes every version of it; its log history stays unless
   * `purge`. INVALID_ARGUMENT for one in a development folder (not the manager's to delete).
   */
  uninstall(id: string, options: { purge?: boolean }): Promise<void>;
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
    install: {},
    uninstall: {},
  },
  events: { onDidChangeState: true, onDidChangeExtensions: true },
});
