import { TetherError, type HandshakeConfig } from '@tether/sdk';
import type { MuxSessionOptions, RpcPeerOptions } from '@tether/sdk/wire';
import type { ServiceBinding } from '@tether/sdk';
import { DEFAULT_START_TIMEOUT_MS, DEFAULT_STOP_GRACE_MS } from '../constants.js';
import type { LogStore } from '../logging/log-store.js';
import type { LaunchSpec, Runner } from '../runner/runner.js';

/** How to start and talk to one plugin. Only `spec` and `handshake` are required. */
export interface PluginClientOptions {
  /** What to start (name, entry, args, env, cwd, sha256). */
  readonly spec: LaunchSpec;
  /** The app's magic cookie, shared with its plugins. */
  readonly handshake: HandshakeConfig;
  /** App protocol versions this host supports (newest common one with the plugin wins). Default [1]. */
  readonly versions?: readonly number[];
  /** How plugins are started. Default: a Node child process (`NodeRunner`). */
  readonly runner?: Runner;
  /** Spawn to READY, ms (START_TIMEOUT after that). */
  readonly startTimeoutMs?: number;
  /** Stop: STOP request, then this long before SIGTERM, and as long again before SIGKILL (ms). */
  readonly stopGraceMs?: number;
  /** Services the host exposes to the plugin (callbacks into the host, host APIs). */
  readonly hostServices?: readonly ServiceBinding[];
  /**
   * Where the plugin's log records and stdout/stderr lines go, under its name. Default: the process-wide
   * store of `defaultLogStore()`.
   */
  readonly logStore?: LogStore;
  /**
   * A plugin that acknowledges calls (`acknowledgesCalls`) is unresponsive while calls to it are outstanding
   * and it acknowledged none of them for this long (ms; its event loop is blocked): see `responsive`.
   * Default 3000 (`DEFAULT_UNRESPONSIVE_MS` of @tether/sdk).
   */
  readonly unresponsiveMs?: number;
  readonly rpc?: Omit<
    RpcPeerOptions,
    'peerName' | 'closedError' | 'tracer' | 'sendAcks' | 'expectAcks' | 'unresponsiveMs'
  >;
  readonly mux?: Omit<MuxSessionOptions, 'role'>;
}

export interface ResolvedPluginClientOptions {
  readonly versions: readonly number[];
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
  /** Absent: the RPC layer's default. */
  readonly unresponsiveMs?: number;
}

export function resolvePluginClientOptions(options: PluginClientOptions): ResolvedPluginClientOptions {
  const versions = options.versions ?? [1];
  if (versions.length === 0 || !versions.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `versions must be a non-empty list of positive integers, got ${JSON.stringify(versions)}.`,
    );
  }
  return {
    versions,
    startTimeoutMs: positive('startTimeoutMs', options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS),
    stopGraceMs: positive('stopGraceMs', options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS, 0),
    ...(options.unresponsiveMs === undefined
      ? {}
      : { unresponsiveMs: wholeMs('unresponsiveMs', options.unresponsiveMs) }),
  };
}

/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function wholeMs(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TIMER_MS) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `PluginClient option ${name} must be a whole number of ms from 1 to ${MAX_TIMER_MS}, got ${value}.`,
    );
  }
  return value;
}

function positive(name: string, value: number, min = 1): number {
  if (!Number.isFinite(value) || value < min) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `PluginClient option ${name} must be a number of ms ≥ ${min}, got ${value}.`,
    );
  }
  return value;
}
