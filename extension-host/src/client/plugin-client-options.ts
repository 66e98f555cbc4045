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
  readonly rpc?: Omit<RpcPeerOptions, 'peerName' | 'closedError' | 'tracer'>;
  readonly mux?: Omit<MuxSessionOptions, 'role'>;
}

export interface ResolvedPluginClientOptions {
  readonly versions: readonly number[];
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
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
  };
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
