import type { Disposable, Event } from '@tether/sdk';
import type { Transport } from '@tether/sdk/wire';
import type { ContainmentLevel } from '../process/containment.js';
import type { ExitStatus } from '../process/process-group.js';

export type { ExitStatus } from '../process/process-group.js';
export type { ContainmentLevel, ContainmentMode } from '../process/containment.js';

/** What to start: one plugin process. */
export interface LaunchSpec {
  /** The name the host knows the plugin by: prefixes its output (`[name] …`) and names it in errors. */
  readonly name: string;
  /** The file to start: a script for the node runner, an executable for the executable runner. */
  readonly entry: string;
  /** Command-line arguments after the entry. */
  readonly args?: readonly string[] | undefined;
  /** Working directory of the plugin; a relative `entry` is resolved against it (default: the host's). */
  readonly cwd?: string | undefined;
  /** Variables passed on purpose, on top of the allowlisted host environment (see `process/clean-env.ts`). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Expected SHA-256 of the entry (64 hex digits); verified right before spawning. */
  readonly sha256?: string | undefined;
  /** Node flags before the entry (`--max-old-space-size=…`, `--import …`); node runner only. */
  readonly nodeArgs?: readonly string[] | undefined;
}

/** One line (or a piece of an over-long line) a plugin wrote to stdout or stderr. */
export interface OutputLine {
  readonly stream: 'stdout' | 'stderr';
  /** Without its line ending. */
  readonly line: string;
  /** The line was longer than the cap and continues in the next event from the same stream. */
  readonly truncated: boolean;
}

/**
 * Starts plugin processes of one kind. The seam every way of launching implements (go-plugin's `runner/`):
 * a Node child process, a plain executable, later an Electron utility process, node-pty and detached.
 */
export interface Runner {
  readonly kind: 'node' | 'executable' | 'utility' | 'pty' | 'detached';
  /**
   * Checks the entry (and its checksum), spawns the plugin and returns at once, before it connects.
   * `handshakeEnv` (cookie, `TETHER_CORE_PROTOCOL`, `TETHER_HOST_PID`, `TETHER_PLUGIN_NAME`) is added to the
   * plugin's environment last; the runner adds `TETHER_SOCKET` itself. Rejects with ENTRY_NOT_FOUND,
   * ENTRY_NOT_EXECUTABLE or CHECKSUM_MISMATCH without spawning anything.
   */
  launch(spec: LaunchSpec, handshakeEnv: Readonly<Record<string, string>>): Promise<LaunchedPlugin>;
}

/**
 * A started plugin process. It owns the process (and its process group), the private socket directory and,
 * once connected, the transport. Output is read continuously, whatever the listeners and the mirror do.
 */
export interface LaunchedPlugin extends Disposable {
  readonly pid: number;
  /**
   * Resolves with the first connection to the plugin's socket. The socket stays until
   * `acceptConnection()`: the client first checks that the connection proves the per-launch secret, and
   * refuses it with `nextConnection()` if not. Rejects with `PluginExitedError` (PLUGIN_EXITED, with the
   * exit code and the last stderr lines) if the plugin exits first, and with CONNECTION_CLOSED after
   * `dispose()`. There is no timeout here: the plugin client applies the start timeout over connect and
   * handshake.
   */
  connection(): Promise<Transport>;
  /**
   * Closes the connection `connection()` gave (it was refused: not the plugin) and resolves with the next
   * one to the socket; `connection()` then returns that one. Rejects as `connection()` does; a runner
   * whose transport is private by construction (a MessagePort only the plugin holds) rejects with
   * AUTH_FAILED, since no other connection can come.
   */
  nextConnection(): Promise<Transport>;
  /** The connection `connection()` gave is the plugin's: the socket is removed, no other can follow. */
  acceptConnection(): void;
  /** Fires once, after the process has exited and its remaining output was delivered. */
  readonly onDidExit: Event<ExitStatus>;
  /** Set when `onDidExit` fires. */
  readonly exitStatus: ExitStatus | undefined;
  readonly onDidWriteLine: Event<OutputLine>;
  /**
   * How far the plugin's processes are contained, from its start on: `cgroup` (a cgroup v2 of its own: what
   * it starts dies with it even after `setsid()`), `process-group` (its process group), `process` (only
   * the process itself). See `process/containment.ts` and docs/security.md.
   */
  readonly containment: ContainmentLevel;
  /** The last stderr lines (oldest first), for crash reports. */
  stderrTail(): string[];
  /** Signals the plugin's whole process group; does nothing once its exit was observed (pid reuse). */
  signal(signal: NodeJS.Signals): void;
  /**
   * SIGTERM to the group, up to `graceMs` for it to exit, then SIGKILL to the group. Resolves when the
   * process has exited and `onDidExit` has fired (at once if it already had).
   */
  terminate(graceMs: number): Promise<void>;
  /**
   * SIGKILLs the process group if it is still running, closes the socket and the transport, stops the
   * mirror and `onDidWriteLine`. Does not wait: `onDidExit` still fires when the process is gone (or await
   * `terminate(0)`). Idempotent.
   */
  dispose(): void;
}
