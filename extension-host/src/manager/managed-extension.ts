import { Emitter, TetherError, isTetherError, type Disposable } from '@tether/sdk';
import { withDeadline } from '../client/connect-plugin.js';
import { PluginClient, type PluginCrash } from '../client/plugin-client.js';
import { extensionLaunchSpec, isSourceEntry, runnerFor } from '../client/start-extension.js';
import { SOURCE_START_TIMEOUT_MS } from '../constants.js';
import { formatLogLine } from '../logging/format-log-line.js';
import { CRASH_LOG_SCOPE } from '../logging/log-record.js';
import type { LogStore } from '../logging/log-store.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import type { LaunchSpec } from '../runner/runner.js';
import type { DiscoveredExtension } from './extension-discovery.js';
import {
  assertTransition,
  isActive,
  type ExtensionError,
  type ExtensionSnapshot,
  type ExtensionState,
  type ExtensionStateChange,
} from './extension-state.js';
import { gateHostServices, type HostApiCheck, type HostApiDenial } from './host-api-gate.js';
import { describeCrash, exitDetails, isPermanentStartError } from './extension-error.js';
import type { ActivationSource } from './lazy-remote.js';
import type { ResolvedManagerOptions } from './manager-options.js';
import { CrashTracker, resolveRestartPolicy } from './restart-policy.js';

/** What a managed extension needs from its manager. */
export interface ExtensionSupervisorContext {
  readonly options: ResolvedManagerOptions;
  readonly logStore: LogStore;
  isEnabled(id: string): boolean;
  hostApiCheck(id: string, manifest: ExtensionManifest): HostApiCheck;
  grantedHostApis(id: string): readonly string[];
  audit(denial: HostApiDenial): void;
  /** Starts the providers of the services the manifest `requires`; REQUIREMENT_UNMET when one is missing. */
  startRequirements(id: string, manifest: ExtensionManifest): Promise<void>;
  changed(change: ExtensionStateChange): void;
}

/** Log records kept in a crash report. */
const CRASH_LOG_RECORDS = 10;

/**
 * One extension under the manager: its state machine, its process (a PluginClient) and its supervisor.
 * Every operation that starts or stops the process — start, stop, restart, enable, disable, a restart after a
 * crash, an idle stop, a rescan — runs through one queue, one at a time, so there are never two processes for
 * one extension. Timers exist only while needed (a pending restart, an idle countdown, an unresponsive
 * countdown); an idle extension costs none.
 */
export class ManagedExtension implements ActivationSource {
  readonly id: string;
  #discovered: DiscoveredExtension;
  readonly #context: ExtensionSupervisorContext;
  #state: ExtensionState;
  #client: PluginClient | undefined;
  #clientSubscriptions: Disposable[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  readonly #crashes = new CrashTracker();
  #restarts = 0;
  #lastError: ExtensionError | undefined;
  #startedAt: number | undefined;
  #handshakeMs: number | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #unresponsiveTimer: NodeJS.Timeout | undefined;
  #activation: Promise<PluginClient> | undefined;
  #uses = 0;
  #disposed = false;
  #removed = false;
  /** Calls made through the manager (services, commands) and how many failed, since the manager started. */
  calls = 0;
  callErrors = 0;
  readonly #onDidStart = new Emitter<PluginClient>();
  readonly onDidStart = this.#onDidStart.event;

  constructor(discovered: DiscoveredExtension, context: ExtensionSupervisorContext) {
    this.id = discovered.id;
    this.#discovered = discovered;
    this.#context = context;
    this.#state = this.#restingState();
  }

  get state(): ExtensionState {
    return this.#state;
  }

  get client(): PluginClient | undefined {
    return this.#state === 'running' || this.#state === 'unresponsive' ? this.#client : undefined;
  }

  /** The process running the extension, while there is one. */
  get pid(): number | undefined {
    return this.#client?.pid;
  }

  get manifest(): ExtensionManifest | undefined {
    return this.#discovered.kind === 'valid' ? this.#discovered.manifest : undefined;
  }

  get folder(): string {
    return this.#discovered.folder;
  }

  snapshot(): ExtensionSnapshot {
    const discovered = this.#discovered;
    const manifest = this.manifest;
    const client = this.#client;
    return {
      id: this.id,
      displayName: manifest?.displayName ?? this.id,
      version: manifest?.version ?? (discovered.kind === 'invalid' ? (discovered.version ?? '') : ''),
      runner: manifest?.runner ?? 'unknown',
      state: this.#state,
      enabled: this.#context.isEnabled(this.id),
      folder: discovered.folder,
      activation: manifest?.activation ?? 'onDemand',
      ...(manifest?.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: manifest.idleTimeoutMs }),
      ...(client === undefined || !isActive(this.#state) ? {} : { pid: client.pid }),
      ...(this.#startedAt === undefined || !isActive(this.#state) ? {} : { startedAt: this.#startedAt }),
      restarts: this.#restarts,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
      ...(this.#handshakeMs === undefined ? {} : { handshakeMs: this.#handshakeMs }),
      ...(client === undefined ? {} : { acknowledgesCalls: client.acknowledgesCalls }),
      ...(discovered.kind === 'invalid' ? { problems: discovered.problems } : {}),
      ...(discovered.install === undefined
        ? {}
        : {
            install: {
              signed: discovered.install.signed,
              installedAt: discovered.install.installedAt,
              ...(discovered.install.keyId === undefined ? {} : { keyId: discovered.install.keyId }),
              ...(discovered.install.publisher === undefined
                ? {}
                : { publisher: discovered.install.publisher }),
            },
          }),
      hostApis: manifest?.hostApis ?? [],
      grantedHostApis: this.#context.grantedHostApis(this.id),
      services: manifest === undefined ? [] : [...manifest.services.keys()],
    };
  }

  // ── Operations (each one queued) ──

  /** Starts the extension (a user's start: the crash history is cleared). Resolves when it runs. */
  start(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.client !== undefined) return;
      this.#crashes.reset();
      this.#restarts = 0;
      // Out of `failed` (or a crash waiting for its restart) by the user's hand: start afresh.
      if (this.#state === 'failed' || this.#state === 'crashed') await this.#stopNow('stopped');
      await this.#startNow();
    });
  }

  /** Stops the extension; it stays enabled (`stopped`). */
  stop(): Promise<void> {
    return this.#enqueue(() => this.#stopNow('stopped'));
  }

  /** Stops and starts it again, clearing the crash history (the way out of `failed`). */
  restart(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#stopNow('stopped');
      this.#crashes.reset();
      this.#restarts = 0;
      await this.#startNow();
    });
  }

  /** The enabled flag changed (already persisted by the manager): stop and mark disabled, or leave disabled. */
  enabledChanged(): Promise<void> {
    return this.#enqueue(async () => {
      if (!this.#context.isEnabled(this.id)) {
        await this.#stopNow('disabled');
      } else if (this.#state === 'disabled') {
        this.#setState('stopped');
        if (this.manifest?.activation === 'startup') await this.#startNow().catch(() => undefined);
      }
    });
  }

  /** Starts a `"activation": "startup"` extension, as the manager does when it starts. Never rejects. */
  startIfStartup(): Promise<void> {
    if (this.manifest?.activation !== 'startup' || this.#state !== 'stopped') return Promise.resolve();
    return this.#enqueue(() => this.#startNow()).then(
      () => undefined,
      () => undefined,
    );
  }

  /** A rescan found this extension again, maybe changed. */
  rediscovered(discovered: DiscoveredExtension): Promise<void> {
    return this.#enqueue(async () => {
      const wasValid = this.#discovered.kind === 'valid';
      this.#discovered = discovered;
      if (discovered.kind === 'invalid') {
        if (isActive(this.#state)) await this.#stopNow('invalid');
        else this.#setState('invalid');
        return;
      }
      // A manifest that was broken and is now fixed: back to the resting state. A changed valid manifest
      // applies from the next start; the running process is left alone.
      if (!wasValid || this.#state === 'invalid') {
        this.#setState(this.#restingState());
        if (this.#state === 'stopped' && discovered.manifest.activation === 'startup') {
          await this.#startNow().catch(() => undefined);
        }
      }
    });
  }

  /**
   * The running client, starting the extension first if it is stopped (or waiting for a scheduled restart),
   * held at most `activationTimeoutMs`. Rejects with the start's error when the start fails, with
   * EXTENSION_DISABLED / EXTENSION_INVALID / EXTENSION_FAILED when it cannot start.
   */
  activate(): Promise<PluginClient> {
    if (this.#disposed) return Promise.reject(this.#goneError());
    const client = this.client;
    if (client !== undefined) return Promise.resolve(client);
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    if (this.#activation === undefined) {
      clearTimeout(this.#restartTimer);
      this.#restartTimer = undefined;
      const activation = this.#enqueue(() => this.#startNow());
      this.#activation = activation;
      const clear = (): void => {
        if (this.#activation === activation) this.#activation = undefined;
      };
      activation.then(clear, clear);
    }
    const ms = this.#context.options.activationTimeoutMs;
    return withDeadline(
      this.#activation,
      Date.now() + ms,
      () =>
        new TetherError(
          'START_TIMEOUT',
          `Extension "${this.id}" did not become ready within ${ms} ms of the call; the call was given up (the start goes on — see its state and logs).`,
        ),
    );
  }

  beginUse(): void {
    this.#uses++;
    this.calls++;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  endUse(failed: boolean): void {
    this.#uses--;
    if (failed) this.callErrors++;
    this.#armIdleTimer();
  }

  /**
   * Stops the process (gracefully, within the stop grace) and every timer. Idempotent. `removed`: the
   * extension's folder is gone (calls still made through its remotes say so), rather than the manager
   * being disposed.
   */
  dispose(removed = false): Promise<void> {
    this.#removed ||= removed;
    this.#disposed = true;
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#unresponsiveTimer);
    this.#onDidStart.dispose();
    // Not queued behind a long start: stop whatever runs now, then once more after the queue drains.
    const client = this.#client;
    if (client !== undefined && (this.#state === 'running' || this.#state === 'unresponsive')) {
      this.#setState('stopping');
    }
    const now = client === undefined ? Promise.resolve() : client.stop().then(() => undefined);
    const queued = this.#queue.then(async () => {
      if (this.#client !== undefined) await this.#client.stop();
    });
    return Promise.all([now, queued]).then(() => {
      this.#releaseClient();
      // The last event of the extension: its process is gone (a pending restart was cancelled).
      if (isActive(this.#state) || this.#state === 'crashed') this.#setState('stopped');
    });
  }

  // ── Internals (run inside the queue) ──

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#disposed) throw this.#goneError();
      return operation();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #goneError(): TetherError {
    return this.#removed
      ? new TetherError(
          'EXTENSION_NOT_FOUND',
          `Extension "${this.id}" was removed (its folder ${this.folder} is gone); reinstall it to use it.`,
        )
      : new TetherError(
          'MANAGER_DISPOSED',
          `The extension manager was disposed; "${this.id}" cannot be started, stopped or called any more.`,
        );
  }

  #refusal(): TetherError | undefined {
    if (this.#disposed) return this.#goneError();
    if (this.#state === 'disabled') {
      return new TetherError(
        'EXTENSION_DISABLED',
        `Extension "${this.id}" is disabled; enable it to use it.`,
      );
    }
    if (this.#state === 'invalid') {
      const discovered = this.#discovered;
      const why =
        discovered.kind === 'invalid' ? discovered.problems.join('; ') : (this.#lastError?.message ?? '');
      return new TetherError('EXTENSION_INVALID', `Extension "${this.id}" cannot run: ${why}`);
    }
    if (this.#state === 'failed') {
      return new TetherError(
        'EXTENSION_FAILED',
        `Extension "${this.id}" has failed and will not be restarted automatically: ${this.#lastError?.message ?? 'unknown reason'}. Restart it by hand once the cause is fixed.`,
      );
    }
    return undefined;
  }

  async #startNow(): Promise<PluginClient> {
    const running = this.client;
    if (running !== undefined) return running;
    const refused = this.#refusal();
    if (refused !== undefined) throw refused;
    const manifest = this.manifest!;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#setState('starting');
    const { options, logStore } = this.#context;
    if (this.#discovered.install?.signed === false) {
      logStore.append(this.id, {
        time: Date.now(),
        level: 'warn',
        scope: 'tether.manager',
        message: `"${this.id}" was installed without a signature (allowed for development): nobody vouches for its code. Reinstall it from a package signed by a publisher you trust.`,
      });
    }
    let began: number;
    let client: PluginClient;
    try {
      await this.#context.startRequirements(this.id, manifest);
      // The handshake time is this extension's own, not its providers' starts.
      began = Date.now();
      const runner = options.runnerFor?.(manifest) ?? runnerFor(manifest, undefined);
      const startTimeoutMs =
        options.startTimeoutMs ?? (isSourceEntry(manifest) ? SOURCE_START_TIMEOUT_MS : undefined);
      client = await PluginClient.start({
        spec: this.#launchSpec(manifest),
        // Discovery made sure one of the two is there (else the extension is invalid).
        handshake: options.handshake ?? manifest.handshake!,
        versions: [...new Set([...manifest.services.values()].flat())].sort((a, b) => a - b),
        runner,
        logStore,
        hostServices: gateHostServices(
          this.id,
          options.hostServices,
          this.#context.hostApiCheck(this.id, manifest),
          (denial) => this.#context.audit(denial),
        ),
        ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
        ...(options.stopGraceMs === undefined ? {} : { stopGraceMs: options.stopGraceMs }),
        ...(options.unresponsiveMs === undefined ? {} : { unresponsiveMs: options.unresponsiveMs }),
      });
    } catch (error) {
      this.#startFailed(error);
      throw error;
    }
    if (this.#disposed) {
      await client.stop();
      throw new TetherError(
        'MANAGER_DISPOSED',
        `The extension manager was disposed while "${this.id}" started.`,
      );
    }
    this.#client = client;
    this.#startedAt = began;
    this.#handshakeMs = Date.now() - began;
    this.#clientSubscriptions = [
      client.onDidCrash((crash) => this.#crashed(client, crash)),
      client.onDidChangeResponsiveness((responsive) => this.#responsivenessChanged(client, responsive)),
    ];
    this.#setState('running');
    this.#onDidStart.fire(client);
    this.#armIdleTimer();
    return client;
  }

  /**
   * What to launch: an installed extension's entry is checked against the SHA-256 recorded at install (a
   * file changed since → CHECKSUM_MISMATCH → `invalid`), unless its manifest names one itself.
   */
  #launchSpec(manifest: ExtensionManifest): LaunchSpec {
    const spec = extensionLaunchSpec(this.folder, manifest, this.#context.options.env);
    const install = this.#discovered.install;
    if (install === undefined || spec.sha256 !== undefined) return spec;
    return { ...spec, sha256: install.entrySha256 };
  }

  #startFailed(error: unknown): void {
    const code = isTetherError(error) ? error.code : 'START_FAILED';
    this.#lastError = {
      code,
      message: error instanceof Error ? error.message : String(error),
      time: Date.now(),
      ...exitDetails(error),
      lastLogs: this.#lastLogs(),
    };
    this.#logCrash(this.#lastError, 'did not start');
    if (code === 'CHECKSUM_MISMATCH') {
      this.#setState('invalid');
    } else if (isPermanentStartError(code)) {
      this.#setState('failed');
    } else {
      this.#setState('crashed');
      this.#scheduleRestart();
    }
  }

  async #stopNow(then: 'stopped' | 'disabled' | 'invalid'): Promise<void> {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const client = this.#client;
    if (client !== undefined && isActive(this.#state)) {
      this.#setState('stopping');
      this.#releaseClient();
      await client.stop();
    }
    this.#releaseClient();
    // An invalid extension stays invalid (disabled or not: the snapshot's `enabled` says); a disabled one
    // stays disabled when merely stopped.
    if (this.#state === 'invalid' && then !== 'invalid') return;
    if (this.#state === 'disabled' && then === 'stopped') return;
    this.#setState(then);
  }

  #crashed(client: PluginClient, crash: PluginCrash): void {
    if (this.#client !== client || this.#disposed) return;
    const cause = crash.cause;
    this.#lastError = {
      code: isTetherError(cause) ? cause.code : 'PLUGIN_EXITED',
      message: cause?.message ?? `Extension "${this.id}" exited unexpectedly (${describeCrash(crash)}).`,
      time: Date.now(),
      exitCode: crash.code,
      signal: crash.signal,
      stderrTail: crash.stderrTail,
      lastLogs: this.#lastLogs(),
    };
    this.#logCrash(this.#lastError, 'crashed');
    this.#releaseClient();
    this.#setState('crashed');
    this.#scheduleRestart();
  }

  /** The crash as a record after its last ones (CRASH_LOG_SCOPE), for log views and log files. */
  #logCrash(error: ExtensionError, what: 'crashed' | 'did not start'): void {
    this.#context.logStore.append(this.id, {
      time: error.time,
      level: 'error',
      scope: CRASH_LOG_SCOPE,
      message: `${what}: ${error.message}`,
      fields: {
        code: error.code,
        exitCode: error.exitCode ?? null,
        signal: error.signal ?? null,
        stderrTail: [...(error.stderrTail ?? [])],
      },
    });
  }

  /** After a crash: a restart after the backoff, or `failed` when this crash is one too many. */
  #scheduleRestart(): void {
    const delay = this.#crashes.crashed(this.#restartPolicy());
    if (delay === undefined) {
      const { windowMs } = this.#restartPolicy();
      const last = this.#lastError;
      this.#lastError = {
        ...(last ?? { time: Date.now() }),
        code: 'EXTENSION_FAILED',
        message: `Crashed ${this.#crashes.recentCrashes} times within ${Math.round(windowMs / 1000)} s; not restarted again until you restart it. Last: ${last?.message ?? 'unknown'}`,
      };
      this.#setState('failed');
      return;
    }
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      this.#restarts++;
      this.#enqueue(() => this.#startNow()).catch(() => undefined);
    }, delay);
    this.#restartTimer.unref();
  }

  #responsivenessChanged(client: PluginClient, responsive: boolean): void {
    if (this.#client !== client) return;
    clearTimeout(this.#unresponsiveTimer);
    this.#unresponsiveTimer = undefined;
    if (!responsive && this.#state === 'running') {
      this.#setState('unresponsive');
      const killAfter = this.#context.options.killUnresponsiveAfterMs;
      if (killAfter !== undefined) {
        this.#unresponsiveTimer = setTimeout(() => this.#killUnresponsive(client, killAfter), killAfter);
        this.#unresponsiveTimer.unref();
      }
    } else if (responsive && this.#state === 'unresponsive') {
      this.#setState('running');
    }
  }

  /** The kill-and-restart policy for an extension unresponsive too long: counts as a crash. */
  #killUnresponsive(client: PluginClient, afterMs: number): void {
    if (this.#client !== client || this.#state !== 'unresponsive') return;
    this.#lastError = {
      code: 'UNRESPONSIVE',
      message: `Extension "${this.id}" was unresponsive for ${afterMs} ms (calls not acknowledged); it was killed and is restarted.`,
      time: Date.now(),
      stderrTail: client.stderrTail(),
      lastLogs: this.#lastLogs(),
    };
    this.#releaseClient();
    client.dispose();
    this.#setState('crashed');
    this.#scheduleRestart();
  }

  #armIdleTimer(): void {
    const idleMs = this.manifest?.idleTimeoutMs;
    if (idleMs === undefined || this.#uses > 0 || this.#state !== 'running' || this.#idleTimer !== undefined)
      return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#uses > 0) return;
      this.#enqueue(async () => {
        if (this.#uses === 0 && this.#state === 'running') await this.#stopNow('stopped');
      }).catch(() => undefined);
    }, idleMs);
    this.#idleTimer.unref();
  }

  #releaseClient(): void {
    for (const subscription of this.#clientSubscriptions) subscription.dispose();
    this.#clientSubscriptions = [];
    clearTimeout(this.#unresponsiveTimer);
    this.#unresponsiveTimer = undefined;
    this.#client = undefined;
  }

  #setState(to: ExtensionState): void {
    const from = this.#state;
    if (from === to) return;
    assertTransition(this.id, from, to);
    this.#state = to;
    this.#context.changed({ id: this.id, from, to, snapshot: this.snapshot() });
  }

  #restingState(): ExtensionState {
    if (this.#discovered.kind === 'invalid') return 'invalid';
    return this.#context.isEnabled(this.id) ? 'stopped' : 'disabled';
  }

  #restartPolicy(): ReturnType<typeof resolveRestartPolicy> {
    const base = this.#context.options.restartPolicy;
    const limit = this.manifest?.crashLimit;
    return limit === undefined
      ? base
      : resolveRestartPolicy({ maxCrashes: limit.count, windowMs: limit.windowMs }, base);
  }

  #lastLogs(): string[] {
    const page = this.#context.logStore.query({
      extension: this.id,
      order: 'desc',
      limit: CRASH_LOG_RECORDS,
    });
    return page.records.reverse().map((record) => formatLogLine(record));
  }
}
