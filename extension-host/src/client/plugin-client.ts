import { randomBytes } from 'node:crypto';
import {
  Emitter,
  TetherError,
  type Disposable,
  type Event,
  type Remote,
  type ServiceDefinition,
} from '@tether/sdk';
import {
  CORE_PROTOCOL_ENV,
  HOST_PID_ENV,
  PLUGIN_NAME_ENV,
  PLUGIN_SECRET_ENV,
  PROTOCOL_VERSION,
  type HandshakeResult,
  type HostControl,
  type RpcPeer,
} from '@tether/sdk/wire';
import { EXIT_AFTER_CLOSE_GRACE_MS, PLUGIN_SECRET_BYTES } from '../constants.js';
import { PluginLogIntake } from '../logging/log-intake.js';
import { defaultLogStore, type LogStore } from '../logging/default-log-store.js';
import { NodeRunner } from '../runner/node-runner.js';
import { PluginExitedError, describeExit } from '../runner/plugin-exited-error.js';
import { hasTerminal } from '../runner/pty-runner.js';
import type { ContainmentLevel, ExitStatus, LaunchedPlugin } from '../runner/runner.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import { connectPlugin, type ConnectedPlugin } from './connect-plugin.js';
import {
  resolvePluginClientOptions,
  type PluginClientOptions,
  type ResolvedPluginClientOptions,
} from './plugin-client-options.js';
import { trackClient } from './client-registry.js';
import {
  closedButRunningError,
  isProtocolViolation,
  protocolViolationError,
  type PluginFailedError,
} from './plugin-failure.js';

/**
 * `failed`: the host gave up on a plugin whose process was still running — it broke the protocol, or closed
 * its connection and kept running — and killed its process group. Terminal, like `exited`.
 */
export type PluginState = 'starting' | 'running' | 'stopping' | 'exited' | 'failed';

/** How a plugin process ended. `expected` is false for a crash (not asked to stop). */
export interface PluginExit extends ExitStatus {
  readonly expected: boolean;
}

/**
 * A plugin that ended without being asked to, with its last stderr lines. When the host gave up on a
 * plugin that still ran (state `failed`), `cause` says why (PROTOCOL_VIOLATION…) and the exit status is
 * not known yet (both null; `onDidExit` has it).
 */
export interface PluginCrash extends ExitStatus {
  readonly stderrTail: readonly string[];
  readonly cause?: Error;
}

/**
 * One plugin process and the typed connection to it — go-plugin's Client: start (launch, connect,
 * handshake), `dispense` services as `Remote<T>`, `ping`, `stop` (STOP request → grace → SIGTERM to the
 * process group → SIGKILL), and events when it exits or crashes.
 */
export class PluginClient implements Disposable {
  readonly name: string;
  readonly #options: ResolvedPluginClientOptions;
  readonly #launched: LaunchedPlugin;
  readonly #peer: RpcPeer;
  readonly #handshake: HandshakeResult;
  #state: PluginState = 'running';
  readonly #failed: { error?: Error };
  #exitSeen = false;
  #closeTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<ExitStatus> | undefined;
  readonly #onDidExit = new Emitter<PluginExit>();
  readonly #onDidCrash = new Emitter<PluginCrash>();
  readonly #onDidChangeState = new Emitter<PluginState>();
  readonly onDidExit = this.#onDidExit.event;
  readonly onDidCrash = this.#onDidCrash.event;
  readonly onDidChangeState = this.#onDidChangeState.event;
  /**
   * Fires `false` when the plugin becomes unresponsive (see `responsive`) and `true` when it answers or
   * acknowledges a call again. Never fires for a plugin that does not acknowledge calls.
   */
  readonly onDidChangeResponsiveness: Event<boolean>;
  readonly #untrack: () => void;
  readonly #logStore: LogStore;

  /** Launches the plugin and completes the handshake; rejects with a TetherError saying what went wrong. */
  static async start(options: PluginClientOptions): Promise<PluginClient> {
    const resolved = resolvePluginClientOptions(options);
    const runner = options.runner ?? new NodeRunner();
    const name = options.spec.name;
    const deadline = Date.now() + resolved.startTimeoutMs;
    const secret = randomBytes(PLUGIN_SECRET_BYTES).toString('base64url');
    const launched = await runner.launch(options.spec, {
      [options.handshake.cookieKey]: options.handshake.cookieValue,
      [CORE_PROTOCOL_ENV]: String(PROTOCOL_VERSION),
      [HOST_PID_ENV]: String(process.pid),
      [PLUGIN_NAME_ENV]: name,
      [PLUGIN_SECRET_ENV]: secret,
    });
    // Logs: stdout/stderr lines from the first one (a crash on start stays visible), records once connected.
    const logStore = options.logStore ?? defaultLogStore();
    const logIntake = new PluginLogIntake(name, logStore);
    launched.onDidWriteLine((line) => logIntake.writeLine(line));
    // Set by the client when it gives up on the plugin; calls failing from then on say why.
    const failed: { error?: Error } = {};
    try {
      const connected = await connectPlugin(launched, {
        name,
        deadline,
        startTimeoutMs: resolved.startTimeoutMs,
        cookie: { key: options.handshake.cookieKey, value: options.handshake.cookieValue },
        versions: resolved.versions,
        secret,
        mux: options.mux,
        hostServices: options.hostServices ?? [],
        logIntake,
        logStore,
        rpc: {
          ...options.rpc,
          ...(resolved.unresponsiveMs === undefined ? {} : { unresponsiveMs: resolved.unresponsiveMs }),
          peerName: `plugin "${name}"`,
          closedError: (where, cause) => failed.error ?? callFailedError(name, launched, where, cause),
          // RPC inspector: while the log store traces this extension, every call either way is a record.
          tracer: () =>
            logStore.isTracing(name)
              ? (trace) => logStore.recordRpc({ extension: name, ...trace })
              : undefined,
        },
      });
      return new PluginClient(name, resolved, launched, connected, logStore, failed);
    } catch (error) {
      logIntake.dispose();
      launched.dispose();
      await launched.terminate(0).catch(() => undefined);
      throw error;
    }
  }

  private constructor(
    name: string,
    options: ResolvedPluginClientOptions,
    launched: LaunchedPlugin,
    connected: ConnectedPlugin,
    logStore: LogStore,
    failed: { error?: Error },
  ) {
    this.name = name;
    this.#logStore = logStore;
    this.#options = options;
    this.#launched = launched;
    this.#peer = connected.peer;
    this.#handshake = connected.handshake;
    this.#failed = failed;
    this.onDidChangeResponsiveness = this.#peer.onDidChangeResponsiveness;
    this.#untrack = trackClient(this);
    launched.onDidExit((status) => this.#exited(status));
    this.#peer.onDidClose((event) => this.#connectionClosed(event.error));
    if (launched.exitStatus !== undefined) this.#exited(launched.exitStatus);
    else if (this.#peer.closed) this.#connectionClosed(undefined);
  }

  get state(): PluginState {
    return this.#state;
  }

  get pid(): number {
    return this.#launched.pid;
  }

  /**
   * How far the plugin's processes are contained: `cgroup` (what it starts dies with it, even after
   * `setsid()`), `process-group`, or `process` (see docs/security.md, "Host death takes the whole tree").
   */
  get containment(): ContainmentLevel {
    return this.#launched.containment;
  }

  /** The app protocol version negotiated in the handshake. */
  get version(): number {
    return this.#handshake.version;
  }

  /** The services the plugin serves at that version. */
  get services(): readonly string[] {
    return this.#handshake.services;
  }

  /**
   * Whether the plugin acknowledges the host's calls (negotiated in the handshake, protocol.md section
   * 4.8), and so can be told unresponsive. False for plugins built with an older SDK, and for plugins in
   * other languages that do not implement ACKs: those are never flagged.
   */
  get acknowledgesCalls(): boolean {
    return this.#handshake.acks;
  }

  /**
   * False while the plugin is unresponsive: calls to it are outstanding and it has acknowledged none of
   * them for `unresponsiveMs` — its event loop is blocked (a handler that awaits, however long, is not
   * unresponsive). True again at its next ACK or answer. Always true when it does not acknowledge calls.
   */
  get responsive(): boolean {
    return this.#peer.responsive;
  }

  /** The RPC peer, for the broker, comlink endpoints and statistics. */
  get peer(): RpcPeer {
    return this.#peer;
  }

  /**
   * Where this plugin's log records go (its `tether.logs` records and its stdout/stderr lines, under its
   * name); they stay there after it exits.
   */
  get logStore(): LogStore {
    return this.#logStore;
  }

  /**
   * The plugin's terminal when it runs in one (the pty runner): its output as bytes, input, resize, exit.
   * `undefined` for the other runners, whose output arrives as lines in the log store.
   */
  get terminal(): TerminalHandle | undefined {
    return hasTerminal(this.#launched) ? this.#launched.terminal : undefined;
  }

  /** Last stderr lines of the plugin (for a pty plugin: the last lines its terminal showed), oldest first. */
  stderrTail(): string[] {
    return this.#launched.stderrTail();
  }

  /** The typed caller for a service the plugin serves (go-plugin's Dispense). */
  dispense<T>(service: ServiceDefinition<T>): Remote<T> {
    if (!this.#handshake.services.includes(service.name)) {
      throw new TetherError(
        'SERVICE_NOT_FOUND',
        `Plugin "${this.name}" does not serve "${service.name}" at version ${this.version}; it serves: ${this.#handshake.services.join(', ') || 'nothing'}.`,
      );
    }
    return this.#peer.remote(service);
  }

  /** Round trip to the plugin in ms. */
  ping(): Promise<number> {
    return this.#peer.ping();
  }

  /**
   * Stops the plugin: a STOP request, then `stopGraceMs` for it to exit, then SIGTERM to its process group,
   * and SIGKILL after the same grace. Resolves with how it exited. Idempotent.
   */
  stop(): Promise<ExitStatus> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<ExitStatus> {
    if (this.#launched.exitStatus !== undefined) return this.#launched.exitStatus;
    if (this.#state === 'failed') {
      await this.#launched.terminate(0);
      return this.#launched.exitStatus ?? { code: null, signal: null };
    }
    this.#setState('stopping');
    const grace = this.#options.stopGraceMs;
    const control: HostControl = this.#handshake.control;
    if (!control.closed) control.requestStop(grace);
    const exited = new Promise<void>((resolve) => {
      const sub = this.#launched.onDidExit(() => {
        sub.dispose();
        resolve();
      });
    });
    // Cleared as soon as the plugin exits: a pending grace timer would keep the stopped client (and all it
    // references) in memory for the rest of the grace.
    let graceTimer: NodeJS.Timeout | undefined;
    const timer = new Promise<'timeout'>((resolve) => {
      graceTimer = setTimeout(() => resolve('timeout'), grace).unref();
    });
    const outcome = await Promise.race([exited, timer]);
    clearTimeout(graceTimer);
    if (outcome === 'timeout') await this.#launched.terminate(grace);
    await exited;
    this.#peer.dispose();
    return this.#launched.exitStatus ?? { code: null, signal: null };
  }

  /** Kills the plugin at once (SIGKILL to its group) and releases everything. Prefer `stop()`. */
  dispose(): void {
    clearTimeout(this.#closeTimer);
    if (this.#state !== 'exited' && this.#state !== 'failed') this.#setState('stopping');
    this.#peer.dispose();
    this.#launched.dispose();
  }

  #exited(status: ExitStatus): void {
    if (this.#state === 'exited' || this.#exitSeen) return;
    this.#exitSeen = true;
    clearTimeout(this.#closeTimer);
    const failed = this.#state === 'failed';
    const expected = this.#state === 'stopping';
    this.#peer.dispose();
    this.#launched.dispose();
    this.#untrack();
    if (!failed) this.#setState('exited');
    this.#onDidExit.fire({ ...status, expected });
    // A failed plugin's crash was reported when the host gave up on it.
    if (!expected && !failed) this.#onDidCrash.fire({ ...status, stderrTail: this.#launched.stderrTail() });
  }

  /**
   * The connection ended while the process lives. A protocol violation fails the plugin at once; any
   * other close while running (a clean GOAWAY, the socket closed) gives it EXIT_AFTER_CLOSE_GRACE_MS to
   * exit by itself, as a crashing plugin does, before it is failed too.
   */
  #connectionClosed(cause: Error | undefined): void {
    if (this.#state !== 'running' || this.#launched.exitStatus !== undefined) return;
    if (isProtocolViolation(cause)) {
      this.#fail(protocolViolationError(this.name, cause, this.#launched.stderrTail()));
      return;
    }
    this.#closeTimer = setTimeout(() => {
      if (this.#state !== 'running' || this.#launched.exitStatus !== undefined) return;
      this.#fail(
        closedButRunningError(this.name, EXIT_AFTER_CLOSE_GRACE_MS, this.#launched.stderrTail(), cause),
      );
    }, EXIT_AFTER_CLOSE_GRACE_MS);
    this.#closeTimer.unref();
  }

  /**
   * Gives up on a plugin whose process still runs: a terminal state at once, `onDidCrash` with the reason
   * as `cause`, SIGKILL to its process group (a hostile or broken plugin would not honour STOP). Calls fail
   * with `error` from now on; `onDidExit` follows when the process is reaped.
   */
  #fail(error: PluginFailedError): void {
    this.#failed.error = error;
    this.#setState('failed');
    this.#peer.dispose();
    this.#launched.signal('SIGKILL');
    this.#onDidCrash.fire({ code: null, signal: null, stderrTail: error.stderrTail, cause: error });
  }

  #setState(state: PluginState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onDidChangeState.fire(state);
  }
}

/**
 * The error of a call that failed because the connection ended: PROTOCOL_VIOLATION when the plugin broke
 * the protocol, else PLUGIN_EXITED with its exit status when known.
 */
function callFailedError(
  name: string,
  launched: LaunchedPlugin,
  where: string,
  cause: Error | undefined,
): Error {
  if (isProtocolViolation(cause)) return protocolViolationError(name, cause, launched.stderrTail(), where);
  const status = launched.exitStatus;
  const how = status === undefined ? 'closed its connection' : describeExit(status);
  return new PluginExitedError(
    `Plugin "${name}" ${how} while ${where} was pending. Its last output is in the error's stderrTail; restart it to call again.`,
    status ?? { code: null, signal: null },
    launched.stderrTail(),
    cause === undefined ? undefined : { cause },
  );
}
