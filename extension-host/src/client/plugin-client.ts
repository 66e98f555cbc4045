import { Emitter, TetherError, type Disposable, type Remote, type ServiceDefinition } from '@tether/sdk';
import {
  MuxSession,
  PROTOCOL_VERSION,
  RpcPeer,
  performHostHandshake,
  type HandshakeResult,
  type HostControl,
} from '@tether/sdk/wire';
import { PluginLogIntake } from '../logging/log-intake.js';
import { defaultLogStore, type LogStore } from '../logging/default-log-store.js';
import { NodeRunner } from '../runner/node-runner.js';
import { PluginExitedError, describeExit } from '../runner/plugin-exited-error.js';
import { hasTerminal } from '../runner/pty-runner.js';
import type { ExitStatus, LaunchedPlugin } from '../runner/runner.js';
import type { TerminalHandle } from '../terminal/terminal-handle.js';
import {
  resolvePluginClientOptions,
  type PluginClientOptions,
  type ResolvedPluginClientOptions,
} from './plugin-client-options.js';
import { trackClient } from './client-registry.js';

export type PluginState = 'starting' | 'running' | 'stopping' | 'exited';

/** How a plugin process ended. `expected` is false for a crash (not asked to stop). */
export interface PluginExit extends ExitStatus {
  readonly expected: boolean;
}

/** A plugin process that ended without being asked to, with its last stderr lines. */
export interface PluginCrash extends ExitStatus {
  readonly stderrTail: readonly string[];
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
  #stopping: Promise<ExitStatus> | undefined;
  readonly #onDidExit = new Emitter<PluginExit>();
  readonly #onDidCrash = new Emitter<PluginCrash>();
  readonly #onDidChangeState = new Emitter<PluginState>();
  readonly onDidExit = this.#onDidExit.event;
  readonly onDidCrash = this.#onDidCrash.event;
  readonly onDidChangeState = this.#onDidChangeState.event;
  readonly #untrack: () => void;
  readonly #logStore: LogStore;

  /** Launches the plugin and completes the handshake; rejects with a TetherError saying what went wrong. */
  static async start(options: PluginClientOptions): Promise<PluginClient> {
    const resolved = resolvePluginClientOptions(options);
    const runner = options.runner ?? new NodeRunner();
    const name = options.spec.name;
    const deadline = Date.now() + resolved.startTimeoutMs;
    const launched = await runner.launch(options.spec, {
      [options.handshake.cookieKey]: options.handshake.cookieValue,
      TETHER_CORE_PROTOCOL: String(PROTOCOL_VERSION),
      TETHER_HOST_PID: String(process.pid),
      TETHER_PLUGIN_NAME: name,
    });
    // Logs: stdout/stderr lines from the first one (a crash on start stays visible), records once connected.
    const logStore = options.logStore ?? defaultLogStore();
    const logIntake = new PluginLogIntake(name, logStore);
    launched.onDidWriteLine((line) => logIntake.writeLine(line));
    try {
      const transport = await withDeadline(launched.connection(), deadline, () =>
        startTimeout(name, resolved.startTimeoutMs, launched),
      );
      const session = new MuxSession(transport, { ...options.mux, role: 'initiator' });
      session.onDidOpenChannel((channel) => logIntake.acceptChannel(channel));
      const handshake = performHostHandshake(session, {
        cookie: { key: options.handshake.cookieKey, value: options.handshake.cookieValue },
        versions: resolved.versions,
        timeoutMs: Math.max(1, deadline - Date.now()),
      });
      let exitDuringCall: (where: string) => Error = (where) =>
        new PluginExitedError(
          `Plugin "${name}" closed its connection while ${where} was pending.`,
          { code: null, signal: null },
          launched.stderrTail(),
        );
      const peer = new RpcPeer(session, {
        ...options.rpc,
        peerName: `plugin "${name}"`,
        closedError: (where) => exitDuringCall(where),
        // RPC inspector: while the log store's tracing is on, every call to the plugin is a record.
        tracer: () =>
          logStore.tracing ? (trace) => logStore.recordRpc({ extension: name, ...trace }) : undefined,
      });
      for (const binding of options.hostServices ?? [])
        peer.expose(binding.definition, binding.implementation);
      let result: HandshakeResult;
      try {
        result = await handshake;
      } catch (error) {
        peer.dispose();
        throw await explainStartFailure(error, name, launched, resolved.startTimeoutMs);
      }
      exitDuringCall = (where) => {
        const status = launched.exitStatus;
        const how = status === undefined ? 'closed its connection' : describeExit(status);
        return new PluginExitedError(
          `Plugin "${name}" ${how} while ${where} was pending. Its last output is in the error's stderrTail; restart it to call again.`,
          status ?? { code: null, signal: null },
          launched.stderrTail(),
        );
      };
      return new PluginClient(name, resolved, launched, peer, result, logStore);
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
    peer: RpcPeer,
    handshake: HandshakeResult,
    logStore: LogStore,
  ) {
    this.name = name;
    this.#logStore = logStore;
    this.#options = options;
    this.#launched = launched;
    this.#peer = peer;
    this.#handshake = handshake;
    this.#untrack = trackClient(this);
    launched.onDidExit((status) => this.#exited(status));
    if (launched.exitStatus !== undefined) this.#exited(launched.exitStatus);
  }

  get state(): PluginState {
    return this.#state;
  }

  get pid(): number {
    return this.#launched.pid;
  }

  /** The app protocol version negotiated in the handshake. */
  get version(): number {
    return this.#handshake.version;
  }

  /** The services the plugin serves at that version. */
  get services(): readonly string[] {
    return this.#handshake.services;
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
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), grace).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') await this.#launched.terminate(grace);
    await exited;
    this.#peer.dispose();
    return this.#launched.exitStatus ?? { code: null, signal: null };
  }

  /** Kills the plugin at once (SIGKILL to its group) and releases everything. Prefer `stop()`. */
  dispose(): void {
    if (this.#state !== 'exited') this.#setState('stopping');
    this.#peer.dispose();
    this.#launched.dispose();
  }

  #exited(status: ExitStatus): void {
    if (this.#state === 'exited') return;
    const expected = this.#state === 'stopping';
    this.#peer.dispose();
    this.#launched.dispose();
    this.#untrack();
    this.#setState('exited');
    this.#onDidExit.fire({ ...status, expected });
    if (!expected) this.#onDidCrash.fire({ ...status, stderrTail: this.#launched.stderrTail() });
  }

  #setState(state: PluginState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onDidChangeState.fire(state);
  }
}

function withDeadline<T>(promise: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now())).unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function startTimeout(name: string, timeoutMs: number, launched: LaunchedPlugin): TetherError {
  const tail = launched.stderrTail().slice(-5);
  return new TetherError(
    'START_TIMEOUT',
    `Plugin "${name}" did not complete its start within ${timeoutMs} ms (it is running, but never finished the Tether handshake). Check that its entry calls serve() from @tether/sdk, or raise startTimeoutMs.${tail.length > 0 ? `\nIts last stderr lines:\n  ${tail.join('\n  ')}` : ''}`,
  );
}

/** A failed handshake because the process died is reported as PLUGIN_EXITED with its exit code. */
async function explainStartFailure(
  error: unknown,
  name: string,
  launched: LaunchedPlugin,
  timeoutMs: number,
): Promise<Error> {
  if (error instanceof TetherError && error.code === 'START_TIMEOUT')
    return startTimeout(name, timeoutMs, launched);
  if (error instanceof TetherError && error.code !== 'CONNECTION_CLOSED') return error;
  // The connection closed: give the process a moment to be reaped so the exit code is known.
  if (launched.exitStatus === undefined) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000).unref();
      const sub = launched.onDidExit(() => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
  }
  const status = launched.exitStatus;
  if (status === undefined) return error instanceof Error ? error : new Error(String(error));
  const tail = launched.stderrTail();
  return new PluginExitedError(
    `Plugin "${name}" ${describeExit(status)} before completing the Tether handshake.${tail.length > 0 ? ` Its last stderr lines:\n  ${tail.slice(-10).join('\n  ')}` : ' It wrote nothing to stderr.'}`,
    status,
    tail,
    { cause: error },
  );
}
