// The states of one managed extension and the transitions between them (docs/architecture.md, "The manager").
import { TetherError } from '@tether/sdk';
import type { RunnerKind } from '../manifest/manifest.js';

/**
 * - `disabled`: the user turned it off (persisted); never started until enabled.
 * - `stopped`: enabled, not running (on-demand and not used yet, stopped by the user or by the idle timer).
 * - `starting` / `running` / `stopping`: its process is being started, serves calls, is being stopped.
 * - `unresponsive`: running, but calls are outstanding and it has acknowledged none for the unresponsive time.
 * - `crashed`: it ended without being asked to; a restart is scheduled (with backoff).
 * - `failed`: the manager gave up (too many crashes, a start that cannot succeed); `lastError` says why. Only
 *   the user starts it again.
 * - `invalid`: its manifest is not valid, it needs another host, or its entry's checksum does not match.
 */
export type ExtensionState =
  | 'disabled'
  | 'stopped'
  | 'starting'
  | 'running'
  | 'unresponsive'
  | 'stopping'
  | 'crashed'
  | 'failed'
  | 'invalid';

export const extensionStates: readonly ExtensionState[] = [
  'disabled',
  'stopped',
  'starting',
  'running',
  'unresponsive',
  'stopping',
  'crashed',
  'failed',
  'invalid',
];

/**
 * Every allowed transition. Anything else is a bug in the manager (an `INTERNAL` error), never a state a
 * user can reach. `invalid` can be left only by a rediscovery (the manifest was fixed), to `stopped` or
 * `disabled`; every state can become `invalid` when a rescan finds the manifest broken.
 */
const transitions: Readonly<Record<ExtensionState, readonly ExtensionState[]>> = {
  disabled: ['stopped', 'invalid'],
  stopped: ['starting', 'disabled', 'invalid'],
  starting: ['running', 'stopping', 'crashed', 'failed', 'stopped', 'invalid'],
  running: ['unresponsive', 'stopping', 'crashed', 'failed'],
  unresponsive: ['running', 'stopping', 'crashed', 'failed'],
  stopping: ['stopped', 'disabled', 'invalid', 'failed'],
  crashed: ['starting', 'failed', 'stopped', 'disabled', 'invalid'],
  failed: ['starting', 'stopped', 'disabled', 'invalid'],
  invalid: ['stopped', 'disabled', 'invalid'],
};

export function canTransition(from: ExtensionState, to: ExtensionState): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(id: string, from: ExtensionState, to: ExtensionState): void {
  if (!canTransition(from, to)) {
    throw new TetherError(
      'INTERNAL',
      `Extension "${id}": the manager tried to go from "${from}" to "${to}", which is not a transition it allows. This is a bug in Tether; please report it with the log.`,
    );
  }
}

/** Whether the extension's process is (or is about to be) alive. */
export function isActive(state: ExtensionState): boolean {
  return state === 'starting' || state === 'running' || state === 'unresponsive' || state === 'stopping';
}

/** The last error of an extension, as plain data (it crosses the wire to UIs). */
export interface ExtensionError {
  readonly code: string;
  readonly message: string;
  readonly time: number;
  /** How the process ended, when it ended: exit code or signal. */
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  /** Its last stderr lines (a pty extension: the last lines its terminal showed). */
  readonly stderrTail?: readonly string[];
  /** Its last log records, formatted, oldest first. */
  readonly lastLogs?: readonly string[];
}

/** What `list()` returns for one extension: plain data, safe to send to a UI. */
export interface ExtensionSnapshot {
  /** The manifest's package name (the folder's name when the manifest is unreadable). */
  readonly id: string;
  readonly displayName: string;
  readonly version: string;
  readonly runner: RunnerKind | 'unknown';
  readonly state: ExtensionState;
  readonly enabled: boolean;
  /** Where it is installed. */
  readonly folder: string;
  readonly activation: 'startup' | 'onDemand';
  /** The manifest's idle timeout (ms): stopped after that long unused. */
  readonly idleTimeoutMs?: number;
  readonly pid?: number;
  /** When its current process was started (ms since the epoch). */
  readonly startedAt?: number;
  /** Automatic restarts after crashes since the user last started it. */
  readonly restarts: number;
  readonly lastError?: ExtensionError;
  /** Spawn to READY of its current process (ms). */
  readonly handshakeMs?: number;
  /** Whether it acknowledges calls (so can be flagged unresponsive); false for older SDKs. */
  readonly acknowledgesCalls?: boolean;
  /** For an extension installed by the manager: its signature status and when it was installed. */
  readonly install?: {
    readonly signed: boolean;
    readonly keyId?: string;
    readonly publisher?: string;
    readonly installedAt: number;
  };
  /** The manifest's problems when `invalid` because of them. */
  readonly problems?: readonly string[];
  /** Host APIs its manifest asks for, and those the user granted. */
  readonly hostApis: readonly string[];
  readonly grantedHostApis: readonly string[];
  /** Services its manifest declares. */
  readonly services: readonly string[];
}

/** One state change, as the manager's `onDidChangeState` fires it. */
export interface ExtensionStateChange {
  readonly id: string;
  readonly from: ExtensionState;
  readonly to: ExtensionState;
  readonly snapshot: ExtensionSnapshot;
}
