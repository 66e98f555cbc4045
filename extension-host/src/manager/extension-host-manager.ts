import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  Emitter,
  TetherError,
  commandService,
  type Disposable,
  type Remote,
  type ServiceDefinition,
} from '@tether/sdk';
import { AUDIT_LOG_SCOPE, MANAGER_STATE_FILE } from '../constants.js';
import { downloadWithSignature } from '../install/download-with-signature.js';
import {
  commitInstall,
  installPackage,
  type InstallOptions,
  type InstallProgress,
} from '../install/extension-installer.js';
import { InstallError } from '../install/install-error.js';
import { cleanInstallLeftovers, extensionHome, removeExtensionHome } from '../install/install-layout.js';
import { TrustStore } from '../install/trust-store.js';
import { loadAppTrustedKeys, type TrustedKey } from '../install/trusted-key.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import type { LogSink } from '../logging/log-sink.js';
import { LogStore, type LogPage, type LogQuery } from '../logging/log-store.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import type { ContributedCommand, ExtensionListChange } from './manager-api.js';
import { discoverExtensions, type DiscoveredExtension } from './extension-discovery.js';
import type { ExtensionSnapshot, ExtensionStateChange } from './extension-state.js';
import { FolderWatcher } from './folder-watcher.js';
import { installResultOf, tryInstalled } from './install-trial.js';
import type { HostApiCheck, HostApiDenial } from './host-api-gate.js';
import { createLazyRemote } from './lazy-remote.js';
import { ManagedExtension, type ExtensionSupervisorContext } from './managed-extension.js';
import {
  resolveManagerOptions,
  type ExtensionHostManagerOptions,
  type ResolvedManagerOptions,
} from './manager-options.js';
import { ManagerStateFile, type ManagerState } from './manager-state-file.js';
import { providerOf, unmetRequirements, type Provider } from './requirements.js';
import { StatsMonitor, type ExtensionStats, type StatsListener } from './stats-monitor.js';

/** What `install()` did. */
export interface InstallResult {
  readonly id: string;
  readonly version: string;
  /** The version it replaced (removed now), for an upgrade. */
  readonly previousVersion?: string;
  readonly signed: boolean;
  readonly keyId?: string;
  readonly publisher?: string;
}

export type { InstallOptions, InstallProgress };

/** The name the manager's own records carry in the log store (not a valid npm package name). */
export const MANAGER_LOG_NAME = '(manager)';

/**
 * The brain of an app's extension support: finds the extensions in its folders, runs each in its own process
 * on demand or at startup, supervises them (restart with backoff, give up after too many crashes, flag the
 * unresponsive), persists the user's choices (enabled, granted host APIs), gates host APIs, and tells UIs
 * everything through events and plain-data snapshots. Pure Node: the same manager runs in Electron's main
 * process, in `tether host`, and in tests.
 *
 * ```ts
 * const manager = await ExtensionHostManager.create({
 *   app: { name: 'my-app', handshake },
 *   extensionFolders: [path.join(userData, 'extensions')],
 * });
 * const kv = manager.service('@acme/kv', kvService); // starts @acme/kv on first call
 * await kv.set('a', 1);
 * ```
 */
export class ExtensionHostManager {
  readonly #options: ResolvedManagerOptions;
  readonly #stateFile: ManagerStateFile;
  #state: ManagerState;
  readonly #extensions = new Map<string, ManagedExtension>();
  readonly #logStore: LogStore;
  readonly #ownsLogStore: boolean;
  readonly #logSink: LogSink | undefined;
  readonly #sinkSubscription: Disposable | undefined;
  readonly #stats: StatsMonitor;
  #watcher: FolderWatcher | undefined;
  #scanning: Promise<void> = Promise.resolve();
  #disposing: Promise<void> | undefined;
  readonly #onDidChangeState = new Emitter<ExtensionStateChange>();
  readonly #onDidChangeExtensions = new Emitter<ExtensionListChange>();
  readonly #onDidChangeGrants = new Emitter<ExtensionSnapshot>();
  /** Every state change of every extension. */
  readonly onDidChangeState = this.#onDidChangeState.event;
  /** Extensions found or gone. */
  readonly onDidChangeExtensions = this.#onDidChangeExtensions.event;
  /** An extension's host-API grants changed (`grant`, `revoke`): its new snapshot. */
  readonly onDidChangeGrants = this.#onDidChangeGrants.event;
  readonly #context: ExtensionSupervisorContext;

  /**
   * Creates the manager: reads its state from the data folder (a damaged state file is set aside with a
   * warning in the log, never fatal), discovers the extensions, starts those with `"activation": "startup"`
   * (in the background: `create` does not wait for them) and starts watching the folders.
   */
  static async create(options: ExtensionHostManagerOptions): Promise<ExtensionHostManager> {
    const resolved = resolveManagerOptions(options);
    await mkdir(resolved.dataFolder, { recursive: true, mode: 0o700 });
    const stateFile = new ManagerStateFile(path.join(resolved.dataFolder, MANAGER_STATE_FILE));
    const { state, setAside } = await stateFile.load();
    const logSink =
      options.logSink === false
        ? undefined
        : (options.logSink ?? new ElectronLogSink({ dir: path.join(resolved.dataFolder, 'logs') }));
    const manager = new ExtensionHostManager(resolved, stateFile, state, options.logStore, logSink);
    if (setAside !== undefined) {
      manager.#warn(
        `The extension state file was damaged (${setAside.reason}); it was moved to ${setAside.movedTo} and every extension is enabled with no host API granted. Re-apply your choices, or restore the file if you know it is good.`,
      );
    }
    await mkdir(resolved.installFolder, { recursive: true, mode: 0o700 });
    for (const leftover of await cleanInstallLeftovers(resolved.installFolder)) {
      manager.#warn(`Removed ${leftover}, left over by an install that was interrupted.`);
    }
    await manager.rescan();
    if (resolved.watch) {
      manager.#watcher = new FolderWatcher(
        resolved.extensionFolders,
        () =>
          void manager
            .rescan()
            .catch((error: unknown) =>
              manager.#warn(`Rescanning the extension folders failed: ${String(error)}`),
            ),
        resolved.discoveryDebounceMs,
      );
    }
    return manager;
  }

  private constructor(
    options: ResolvedManagerOptions,
    stateFile: ManagerStateFile,
    state: ManagerState,
    logStore: LogStore | undefined,
    logSink: LogSink | undefined,
  ) {
    this.#options = options;
    this.#stateFile = stateFile;
    this.#state = state;
    this.#ownsLogStore = logStore === undefined;
    this.#logStore = logStore ?? new LogStore();
    this.#logSink = logSink;
    this.#sinkSubscription = logSink === undefined ? undefined : this.#logStore.addSink(logSink);
    this.#stats = new StatsMonitor(() => [...this.#extensions.values()], options.statsIntervalMs);
    this.#context = {
      options,
      logStore: this.#logStore,
      isEnabled: (id) => !this.#state.disabled.includes(id),
      hostApiCheck: (id, manifest) => this.#hostApiCheck(id, manifest),
      grantedHostApis: (id) => this.#granted(id),
      audit: (denial) => this.#audit(denial),
      startRequirements: (id, manifest) => this.#startRequirements(id, manifest),
      changed: (change) => this.#onDidChangeState.fire(change),
    };
  }

  /** The folder holding the manager's state, log files and control socket. */
  get dataFolder(): string {
    return this.#options.dataFolder;
  }

  /** Where every extension's log records (and the manager's own, as `(manager)`) go. */
  get logStore(): LogStore {
    return this.#logStore;
  }

  /** A snapshot of every extension, valid or not, in discovery order. */
  list(): ExtensionSnapshot[] {
    return [...this.#extensions.values()].map((extension) => extension.snapshot());
  }

  /** A snapshot of one extension; EXTENSION_NOT_FOUND when there is none by that id. */
  get(id: string): ExtensionSnapshot {
    return this.#extension(id).snapshot();
  }

  /** Starts an extension now (also out of `failed`: the crash history is cleared). Resolves once it runs. */
  start(id: string): Promise<void> {
    return this.#extension(id).start();
  }

  /** Stops an extension; it stays enabled and starts again on demand. */
  stop(id: string): Promise<void> {
    return this.#extension(id).stop();
  }

  /** Stops and starts an extension, clearing its crash history. */
  restart(id: string): Promise<void> {
    return this.#extension(id).restart();
  }

  /** Enables an extension (persisted); a startup extension starts. */
  async enable(id: string): Promise<void> {
    const extension = this.#extension(id);
    await this.#saveState({ ...this.#state, disabled: this.#state.disabled.filter((d) => d !== id) });
    await extension.enabledChanged();
  }

  /** Disables an extension (persisted): it is stopped and not started until enabled. */
  async disable(id: string): Promise<void> {
    const extension = this.#extension(id);
    if (!this.#state.disabled.includes(id)) {
      await this.#saveState({ ...this.#state, disabled: [...this.#state.disabled, id] });
    }
    await extension.enabledChanged();
  }

  /**
   * A typed caller for a service of an extension. Nothing starts until the first call (or event
   * subscription): then the extension is activated and the call held until it is ready (at most
   * `activationTimeoutMs`; a failed start rejects every held call with the start's error).
   */
  service<T>(id: string, definition: ServiceDefinition<T>): Remote<T> {
    const extension = this.#extension(id);
    const manifest = extension.manifest;
    if (manifest !== undefined && !manifest.services.has(definition.name)) {
      throw new TetherError(
        'SERVICE_NOT_FOUND',
        `Extension "${id}" does not declare service "${definition.name}" in its manifest; it declares: ${[...manifest.services.keys()].join(', ') || 'none'}.`,
      );
    }
    return createLazyRemote(extension, definition);
  }

  /** Every command the valid extensions contribute. */
  commands(): ContributedCommand[] {
    const result: ContributedCommand[] = [];
    for (const extension of this.#extensions.values()) {
      for (const command of extension.manifest?.commands ?? []) {
        result.push({ ...command, extension: extension.id });
      }
    }
    return result;
  }

  /**
   * Runs a contributed command: activates the extension that contributes it and calls the handler it
   * registered with `serve({ commands })`. The handler's error comes back with its name, code and stack.
   */
  async executeCommand(commandId: string, ...args: unknown[]): Promise<unknown> {
    const command = this.commands().find((c) => c.id === commandId);
    if (command === undefined) {
      const known = this.commands().map((c) => c.id);
      throw new TetherError(
        'COMMAND_NOT_FOUND',
        `No extension contributes the command "${commandId}". ${known.length === 0 ? 'No command is contributed.' : `Commands: ${known.join(', ')}.`}`,
      );
    }
    const extension = this.#extension(command.extension);
    return createLazyRemote(extension, commandService).execute(commandId, args);
  }

  /**
   * Grants a host API to an extension (persisted; applies at once, no restart). INVALID_ARGUMENT when its
   * manifest does not ask for that API in `hostApis`: a grant can only allow what the manifest declares.
   */
  async grant(id: string, hostApi: string): Promise<void> {
    const declared = this.#extension(id).manifest?.hostApis ?? [];
    if (!declared.includes(hostApi)) {
      throw new TetherError(
        'INVALID_ARGUMENT',
        `Extension "${id}" does not ask for the host API "${hostApi}" (its manifest's hostApis: ${declared.join(', ') || 'none'}); only a declared API can be granted.`,
      );
    }
    const current = this.#state.grants[id] ?? [];
    if (current.includes(hostApi)) return;
    await this.#saveState({
      ...this.#state,
      grants: { ...this.#state.grants, [id]: [...current, hostApi].sort() },
    });
    this.#grantsChanged(id);
  }

  /** Revokes a host API from an extension (persisted; its next call is refused). */
  async revoke(id: string, hostApi: string): Promise<void> {
    this.#extension(id);
    const current = this.#state.grants[id] ?? [];
    if (!current.includes(hostApi)) return;
    const grants = { ...this.#state.grants, [id]: current.filter((api) => api !== hostApi) };
    await this.#saveState({ ...this.#state, grants });
    this.#grantsChanged(id);
  }

  #grantsChanged(id: string): void {
    const extension = this.#extensions.get(id);
    if (extension !== undefined) this.#onDidChangeGrants.fire(extension.snapshot());
  }

  /**
   * The terminal of a running pty extension (its output, input, size), for a terminal panel.
   * @throws TetherError NO_TERMINAL when it does not run in a terminal or is not running now.
   */
  terminal(id: string): TerminalHandle {
    const extension = this.#extension(id);
    const terminal = extension.client?.terminal;
    if (terminal !== undefined) return terminal;
    const { runner, state } = extension.snapshot();
    throw new TetherError(
      'NO_TERMINAL',
      runner === 'pty'
        ? `${id} is ${state}, so it has no terminal now; start it first.`
        : `${id} runs without a terminal (runner "${runner}"); only extensions with the "pty" runner have one.`,
    );
  }

  /** Audit records (refused host API calls, refused connections), like a log query. */
  audit(query: Omit<LogQuery, 'scope'> = {}): LogPage {
    return this.#logStore.query({ ...query, scope: AUDIT_LOG_SCOPE });
  }

  /** Resource figures of every extension now (CPU % relative to the previous sample). */
  stats(): Promise<ExtensionStats[]> {
    return this.#stats.sample();
  }

  /** Resource figures every `statsIntervalMs` until disposed; sampling runs only while someone watches. */
  watchStats(listener: StatsListener): Disposable {
    return this.#stats.watch(listener);
  }

  /** Whether resource sampling runs (someone watches the stats). */
  get watchingStats(): boolean {
    return this.#stats.watching;
  }

  /** The publisher keys trusted for installs: the app's and the user's (`tether trust`). */
  async trustedKeys(): Promise<TrustedKey[]> {
    const user = await new TrustStore(this.#options.dataFolder).list();
    for (const problem of user.problems) this.#warn(problem);
    return [...(await loadAppTrustedKeys(this.#options.trustedKeys)), ...user.keys];
  }

  /**
   * Installs (or upgrades) an extension from a `.tgz` package (with its `.sig` beside it), an extension
   * folder (development; unsigned) or an https:// URL: verified before unpacking, unpacked safely, put in
   * place atomically, then tried — the new version must start and finish its handshake, else the previous
   * one is restored (INSTALL_FAILED, with the start's error as cause). The extension is left running if it
   * was running, stopped otherwise. Installs of one extension are serialized with its other operations.
   */
  async install(source: string, options: InstallOptions = {}): Promise<InstallResult> {
    const progress = options.onProgress ?? (() => undefined);
    const staged = await installPackage(
      source,
      {
        installFolder: this.#options.installFolder,
        trustedKeys: () => this.trustedKeys(),
        checkRequirements: (manifest) => {
          const unmet = unmetRequirements(manifest, this.#providers());
          if (unmet.length > 0) {
            throw new InstallError(
              'REQUIREMENT_UNMET',
              `${manifest.name}@${manifest.version} requires what no installed extension provides — ${unmet.join('; ')}. Install (or enable) the extension that provides it first.`,
            );
          }
        },
        download: (url, folder, onProgress) =>
          downloadWithSignature(url, folder, this.#options.download, onProgress),
      },
      options,
    );
    const wasRunning = this.#extensions.get(staged.id)?.client !== undefined;
    await this.rescan();
    progress({ phase: 'trial-start' });
    await tryInstalled(staged, wasRunning, {
      find: (id) => this.#extensions.get(id),
      rescan: () => this.rescan(),
    });
    await options.onStep?.('tried');
    await commitInstall(staged, options.onStep);
    const result = installResultOf(staged);
    progress({ phase: 'done', ...result });
    return result;
  }

  /**
   * Stops an installed extension and removes it (every version). Its log history stays unless `purge`,
   * which deletes its log files too. An extension in a development folder is not the manager's to delete:
   * INVALID_ARGUMENT.
   */
  async uninstall(id: string, options: { purge?: boolean } = {}): Promise<void> {
    const extension = this.#extension(id);
    const home = extensionHome(this.#options.installFolder, id);
    if (extension.folder !== path.join(home, path.basename(extension.folder))) {
      throw new TetherError(
        'INVALID_ARGUMENT',
        `Extension "${id}" was not installed by this app (it is in ${extension.folder}); remove that folder yourself, or drop it from the extension folders.`,
      );
    }
    await extension.stop();
    await removeExtensionHome(this.#options.installFolder, home);
    await this.rescan();
    if (options.purge === true) {
      // Where its sink wrote them (`tether host` writes to the log folder `tether logs` reads, not here).
      await this.#logSink?.remove(id);
      this.#logStore.clear(id);
    }
  }

  /** Looks at the extension folders again (the watcher does this by itself when they change). */
  rescan(): Promise<void> {
    const scan = this.#scanning.then(() => this.#rescan());
    this.#scanning = scan.catch(() => undefined);
    return scan;
  }

  /** Stops every extension (graceful, then killed after the stop grace), the watchers and timers. Idempotent. */
  dispose(): Promise<void> {
    this.#disposing ??= this.#dispose();
    return this.#disposing;
  }

  async #dispose(): Promise<void> {
    this.#watcher?.dispose();
    this.#stats.dispose();
    await Promise.all([...this.#extensions.values()].map((extension) => extension.dispose()));
    await this.#stateFile.flushed();
    this.#sinkSubscription?.dispose();
    if (this.#logSink !== undefined) {
      await this.#logSink.flush().catch(() => undefined);
      this.#logSink.dispose();
    }
    if (this.#ownsLogStore) this.#logStore.dispose();
    this.#onDidChangeState.dispose();
    this.#onDidChangeExtensions.dispose();
    this.#onDidChangeGrants.dispose();
  }

  async #rescan(): Promise<void> {
    if (this.#disposing !== undefined) return;
    const found = await discoverExtensions(this.#options.extensionFolders);
    if (this.#disposing !== undefined) return;
    const seen = new Set<string>();
    const added: ManagedExtension[] = [];
    const updates: Promise<void>[] = [];
    for (const discovered of found.map((d) => this.#checkAppCookie(d))) {
      seen.add(discovered.id);
      const existing = this.#extensions.get(discovered.id);
      if (existing === undefined) {
        const extension = new ManagedExtension(discovered, this.#context);
        this.#extensions.set(discovered.id, extension);
        added.push(extension);
      } else {
        updates.push(existing.rediscovered(discovered).catch(() => undefined));
      }
    }
    const removed: string[] = [];
    for (const [id, extension] of this.#extensions) {
      if (seen.has(id)) continue;
      this.#extensions.delete(id);
      removed.push(id);
      updates.push(extension.dispose(true).catch(() => undefined));
    }
    if (added.length > 0 || removed.length > 0) {
      this.#onDidChangeExtensions.fire({ added: added.map((e) => e.snapshot()), removed });
    }
    for (const extension of added) void extension.startIfStartup();
    await Promise.all(updates);
  }

  /**
   * An extension built for another app (another magic cookie) is invalid here, with the reason; so is one
   * that names no cookie when the manager has none of its own (`tether host`).
   */
  #checkAppCookie(discovered: DiscoveredExtension): DiscoveredExtension {
    if (discovered.kind !== 'valid') return discovered;
    const own = discovered.manifest.handshake;
    const app = this.#options.handshake;
    let problem: string | undefined;
    if (app === undefined && own === undefined) {
      problem =
        'tether.handshake is missing: add the magic cookie of the app the extension is built for ({ "cookieKey": …, "cookieValue": … }, the values of its contract module)';
    } else if (
      app !== undefined &&
      own !== undefined &&
      (own.cookieKey !== app.cookieKey || own.cookieValue !== app.cookieValue)
    ) {
      problem = `tether.handshake names another app (cookie ${own.cookieKey}); this app is ${this.#options.appName} (${app.cookieKey}). Install a build of the extension made for this app.`;
    }
    if (problem === undefined) return discovered;
    return {
      kind: 'invalid',
      id: discovered.id,
      folder: discovered.folder,
      version: discovered.manifest.version,
      code: 'COOKIE_MISMATCH',
      problems: [problem],
    };
  }

  #extension(id: string): ManagedExtension {
    const extension = this.#extensions.get(id);
    if (extension === undefined) {
      const known = [...this.#extensions.keys()];
      throw new TetherError(
        'EXTENSION_NOT_FOUND',
        `No extension "${id}" in ${this.#options.extensionFolders.join(', ')}. ${known.length === 0 ? 'No extension is installed.' : `Installed: ${known.join(', ')}.`}`,
      );
    }
    return extension;
  }

  #providers(): Provider[] {
    return [...this.#extensions.values()].map((extension) => ({
      id: extension.id,
      manifest: extension.manifest,
      enabled: !this.#state.disabled.includes(extension.id),
    }));
  }

  /**
   * Before `id` starts: every extension that provides a service it `requires` is started first (one that is
   * starting already is not waited for, so a cycle cannot deadlock). REQUIREMENT_UNMET when none provides it.
   */
  async #startRequirements(id: string, manifest: ExtensionManifest): Promise<void> {
    if (manifest.requires.size === 0) return;
    const providers = this.#providers();
    const unmet = unmetRequirements(manifest, providers);
    if (unmet.length > 0) {
      throw new TetherError(
        'REQUIREMENT_UNMET',
        `Extension "${id}" cannot start: it requires ${unmet.join('; ')}. Install or enable the extension that provides it.`,
      );
    }
    for (const [service, range] of manifest.requires) {
      const provider = this.#extensions.get(providerOf(service, range, providers, id)!.id)!;
      if (provider.state !== 'starting') await provider.activate();
    }
  }

  #granted(id: string): readonly string[] {
    const manifest = this.#extensions.get(id)?.manifest;
    const preGranted = this.#options.preGrantedHostApis.filter(
      (api) => manifest?.hostApis.includes(api) ?? false,
    );
    return [...new Set([...preGranted, ...(this.#state.grants[id] ?? [])])].sort();
  }

  #hostApiCheck(id: string, manifest: ExtensionManifest): HostApiCheck {
    return (service) => {
      if (!manifest.hostApis.includes(service)) return 'not-declared';
      return this.#granted(id).includes(service) ? 'allowed' : 'not-granted';
    };
  }

  #audit(denial: HostApiDenial): void {
    const { extension, service, method, reason, time } = denial;
    this.#logStore.append(extension, {
      time,
      level: 'warn',
      scope: AUDIT_LOG_SCOPE,
      message: `Refused ${service}.${method}: host API ${reason === 'not-declared' ? 'not declared in the manifest' : 'not granted by the user'}`,
      fields: { service, method, reason },
    });
  }

  #warn(message: string): void {
    this.#logStore.append(MANAGER_LOG_NAME, {
      time: Date.now(),
      level: 'warn',
      scope: 'tether.manager',
      message,
    });
  }

  async #saveState(state: ManagerState): Promise<void> {
    this.#state = state;
    await this.#stateFile.save(state);
  }
}
