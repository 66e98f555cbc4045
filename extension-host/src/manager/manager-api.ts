// The manager's API for user interfaces — the app's UI, `tether list|start|…`, the devtools panel — as a
// Tether service contract: every UI holds a `Remote<ManagerApi>` over whatever transport it has (a MessagePort
// in Electron, a WebSocket in a browser, the control socket for the CLI). Imports only the sdk and types, so
// a browser bundle can import it.
import { defineService, type Event } from '@tether/sdk/common';
import type { InstallProgress } from '../install/extension-installer.js';
import type { LogFilter } from '../logging/log-filter.js';
import type { HostLogRecord } from '../logging/log-record.js';
import type { LogPage, LogQuery } from '../logging/log-store.js';
import type { ExtensionSnapshot, ExtensionStateChange } from './extension-state.js';
import type { ExtensionStats } from './stats-monitor.js';

// The data the API carries, for a UI to import from this one module (type-only: nothing reaches a bundle).
export type { InstallProgress, LogFilter, HostLogRecord, LogPage, LogQuery, ExtensionStats };
export type { ExtensionSnapshot, ExtensionStateChange };
export type { ExtensionError, ExtensionState } from './extension-state.js';
export type { LogLevel } from '@tether/sdk/common';
export type { RunnerKind } from '../manifest/manifest.js';
/** The scope of the record that marks a crash in an extension's log (`queryLogs`, `followLogs`). */
export { CRASH_LOG_SCOPE } from '../logging/log-record.js';

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

/** The choices of an install from bytes (`ManagerApi.installPackage`). */
export interface UploadRequestOptions extends InstallRequestOptions {
  /** The package's detached signature: the text of its `.sig` file. */
  readonly signature?: string;
  /** The package's size in bytes, for progress (`File.size`). */
  readonly size?: number;
}

/** What `ManagerApi.setTracing` switched on. */
export interface TracingState {
  /** Every extension is traced. */
  readonly all: boolean;
  /** Extensions traced one by one. */
  readonly extensions: readonly string[];
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
  /**
   * Tracing of RPC calls, for the RPC inspector: of every extension (no `extension`), or of one. While an
   * extension is traced, each call either way (host → extension `outgoing`, extension → host `incoming`) is
   * a log record with scope `rpc` whose `fields` hold `direction`, `service`, `method`, `durationMs`,
   * `bytes`, `bytesOut`, `bytesIn` and `error`: read them with `traces`, follow them live with
   * `followLogs({ scope: 'rpc' })`.
   */
  setTracing(on: boolean, extension?: string): void;
  /** What is traced now: every extension (`all`), or these ones. */
  tracing(): TracingState;
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
   * Installs a package the caller sends as bytes — a file its user picked or dropped (`File.stream()`),
   * with the text of its `.sig` file in `options.signature` for a signed one: the stream gives `download`
   * items while the bytes arrive (`total` is `options.size` when given), then the steps of `install`, whose
   * refusals it fails with in the same way. `fileName` must end in `.tgz` (INVALID_ARGUMENT otherwise);
   * over the download size cap it fails with DOWNLOAD_TOO_LARGE. The bytes are kept only until the install
   * ends.
   */
  installPackage(
    fileName: string,
    data: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
    options: UploadRequestOptions,
  ): AsyncIterable<InstallProgress>;
  /**
   * Stops an extension the manager installed and removes every version of it; its log history stays unless
   * `purge`. INVALID_ARGUMENT for one in a development folder (not the manager's to delete).
   */
  uninstall(id: string, options: { purge?: boolean }): Promise<void>;
  /**
   * A running pty extension's terminal output: the bytes it showed so far (its backlog), then live output,
   * escape sequences kept (chunks may split a UTF-8 character: decode with `stream: true`). Ends when its
   * process exits. NO_TERMINAL when it runs without a terminal or is not running.
   */
  followTerminal(id: string): AsyncIterable<Uint8Array>;
  /** Types into a pty extension's terminal, as a user at a keyboard would (`'\x03'` is Ctrl-C). */
  writeTerminal(id: string, data: string): void;
  /** Resizes a pty extension's terminal (whole numbers from 1 to 10 000). */
  resizeTerminal(id: string, size: { cols: number; rows: number }): void;
  readonly onDidChangeState: Event<ExtensionStateChange>;
  readonly onDidChangeExtensions: Event<ExtensionListChange>;
  /** An extension's host-API grants changed (a grant or revoke, from any UI): its new snapshot. */
  readonly onDidChangeGrants: Event<ExtensionSnapshot>;
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
    tracing: {},
    traces: {},
    stats: {},
    followStats: {},
    audit: {},
    install: {},
    installPackage: {},
    uninstall: {},
    followTerminal: {},
    writeTerminal: {},
    resizeTerminal: {},
  },
  events: { onDidChangeState: true, onDidChangeExtensions: true, onDidChangeGrants: true },
});
