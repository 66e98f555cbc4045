// From a launched plugin process to a handshaken RPC connection: the start sequence of PluginClient.
import { TetherError, isTetherError, type ServiceBinding } from '@tether/sdk';
import {
  MuxSession,
  RpcPeer,
  performHostHandshake,
  type HandshakeResult,
  type MuxSessionOptions,
  type RpcPeerOptions,
  type Transport,
} from '@tether/sdk/wire';
import { AUDIT_LOG_SCOPE, MAX_REFUSED_CONNECTIONS, PLUGIN_SOCKET_ENV } from '../constants.js';
import type { PluginLogIntake } from '../logging/log-intake.js';
import type { LogStore } from '../logging/log-store.js';
import { PluginExitedError, describeExit } from '../runner/plugin-exited-error.js';
import type { LaunchedPlugin } from '../runner/runner.js';

export interface ConnectOptions {
  readonly name: string;
  /** `Date.now()` by which the plugin must have said READY. */
  readonly deadline: number;
  readonly startTimeoutMs: number;
  readonly cookie: { readonly key: string; readonly value: string };
  readonly versions: readonly number[];
  /** The per-launch secret the plugin must prove in HELLO. */
  readonly secret: string;
  readonly mux: Omit<MuxSessionOptions, 'role'> | undefined;
  readonly rpc: RpcPeerOptions;
  readonly hostServices: readonly ServiceBinding[];
  readonly logIntake: PluginLogIntake;
  readonly logStore: LogStore;
}

export interface ConnectedPlugin {
  readonly peer: RpcPeer;
  readonly handshake: HandshakeResult;
}

/**
 * Takes the connections to the plugin's socket in order and runs the handshake on each until one proves
 * the per-launch secret: that one is the plugin (the socket goes then). A connection without the secret
 * is refused (REJECT AUTH_FAILED) and recorded in the log store as an audit record; after
 * MAX_REFUSED_CONNECTIONS the launch fails with AUTH_FAILED. The host's services and the plugin's log
 * channel are taken only once the plugin has proved who it is. Rejects with START_TIMEOUT (saying whether
 * the plugin never connected, or which handshake message was missing), PLUGIN_EXITED, or the handshake's
 * own errors.
 */
export async function connectPlugin(
  launched: LaunchedPlugin,
  options: ConnectOptions,
): Promise<ConnectedPlugin> {
  let refused = 0;
  let next: Promise<Transport> = launched.connection();
  for (;;) {
    const transport = await withDeadline(next, options.deadline, () => notConnected(options, launched));
    const attempt = handshakeOn(transport, options);
    try {
      const handshake = await attempt.handshake;
      launched.acceptConnection();
      // The plugin acknowledges calls from READY on (protocol.md section 4.8): track its responsiveness.
      if (handshake.acks) attempt.peer.expectAcks();
      return { peer: attempt.peer, handshake };
    } catch (error) {
      attempt.peer.dispose();
      if (!isTetherError(error, 'AUTH_FAILED')) throw await explainStartFailure(error, options, launched);
      refused++;
      audit(options, `Refused connection ${refused} to plugin "${options.name}"'s socket: ${error.message}`);
      if (refused >= MAX_REFUSED_CONNECTIONS) {
        throw new TetherError(
          'AUTH_FAILED',
          `Plugin "${options.name}" was not started: ${refused} connections to its socket did not prove the per-launch secret (something else keeps connecting to it; see the audit records in its log). Check for other processes of your user racing the plugin, and start it again.`,
          { cause: error },
        );
      }
      next = launched.nextConnection();
    }
  }
}

/** One connection: session, RPC peer and the host's half of the handshake, set up in the same tick. */
function handshakeOn(
  transport: Transport,
  options: ConnectOptions,
): { peer: RpcPeer; handshake: Promise<HandshakeResult> } {
  const session = new MuxSession(transport, { ...options.mux, role: 'initiator' });
  let authenticated = false;
  session.onDidOpenChannel((channel) => {
    if (authenticated) options.logIntake.acceptChannel(channel);
  });
  const handshake = performHostHandshake(session, {
    cookie: options.cookie,
    versions: options.versions,
    secret: options.secret,
    timeoutMs: Math.max(1, options.deadline - Date.now()),
    onWelcome: () => {
      authenticated = true;
      for (const binding of options.hostServices) peer.expose(binding.definition, binding.implementation);
    },
  });
  const peer = new RpcPeer(session, options.rpc);
  handshake.catch(() => undefined);
  return { peer, handshake };
}

function audit(options: ConnectOptions, message: string): void {
  options.logStore.append(options.name, {
    time: Date.now(),
    level: 'warn',
    scope: AUDIT_LOG_SCOPE,
    message,
  });
}

export function withDeadline<T>(promise: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
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

function lastLines(launched: LaunchedPlugin): string {
  const tail = launched.stderrTail().slice(-5);
  return tail.length > 0 ? `\nIts last stderr lines:\n  ${tail.join('\n  ')}` : '';
}

/** START_TIMEOUT before the plugin connected at all. */
function notConnected(options: ConnectOptions, launched: LaunchedPlugin): TetherError {
  return new TetherError(
    'START_TIMEOUT',
    `Plugin "${options.name}" did not connect to the host within ${options.startTimeoutMs} ms (it is running, but never opened its socket, ${PLUGIN_SOCKET_ENV}). Check that its entry calls serve() from @tether/sdk without slow work before it (a plugin in another language: that it connects to ${PLUGIN_SOCKET_ENV}, protocol.md section 5.1), or raise startTimeoutMs.${lastLines(launched)}`,
  );
}

/**
 * A failed handshake: START_TIMEOUT keeps the handshake's own words (which message was missing) with the
 * plugin's name and last lines; one that failed because the process died is PLUGIN_EXITED with its exit.
 */
async function explainStartFailure(
  error: unknown,
  options: ConnectOptions,
  launched: LaunchedPlugin,
): Promise<Error> {
  if (isTetherError(error, 'START_TIMEOUT')) {
    return new TetherError(
      'START_TIMEOUT',
      `Plugin "${options.name}": ${error.message}${lastLines(launched)}`,
      {
        cause: error,
      },
    );
  }
  if (isTetherError(error) && error.code !== 'CONNECTION_CLOSED') return error;
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
    `Plugin "${options.name}" ${describeExit(status)} before completing the Tether handshake.${tail.length > 0 ? ` Its last stderr lines:\n  ${tail.slice(-10).join('\n  ')}` : ' It wrote nothing to stderr.'}`,
    status,
    tail,
    { cause: error },
  );
}
