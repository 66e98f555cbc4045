import { TetherError } from '@tether/sdk';
import {
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MIRROR_BUFFER_CHARS,
  DEFAULT_STDERR_TAIL_LINES,
} from '../constants.js';
import type { ContainmentMode, ContainmentOptions } from '../process/containment.js';
import type { OutputWriter } from '../process/output-mirror.js';

/** Options shared by the process runners; every field is optional (defaults in `constants.ts`). */
export interface RunnerOptions {
  /**
   * Where plugin output is mirrored as `[name] line` (default: the host's `process.stderr`); `null` turns
   * the mirror off (lines still arrive through `onDidWriteLine`).
   */
  readonly output?: OutputWriter | null | undefined;
  /** Longest line kept in one piece, in bytes (default {@link DEFAULT_MAX_LINE_BYTES}). */
  readonly maxLineBytes?: number | undefined;
  /** Stderr lines kept for crash reports (default {@link DEFAULT_STDERR_TAIL_LINES}). */
  readonly stderrTailLines?: number | undefined;
  /** Characters the mirror holds while its writer is full (default {@link DEFAULT_MIRROR_BUFFER_CHARS}). */
  readonly mirrorBufferChars?: number | undefined;
  /** Where the private socket directories are created (default: `os.tmpdir()`). */
  readonly socketDirParent?: string | undefined;
  /** The environment the allowlist is taken from (default: `process.env`). */
  readonly hostEnv?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * How far a plugin's processes are contained (`process/containment.ts`): `auto` (default) gives each
   * plugin a cgroup v2 of its own where the host may create one (Linux), so that even what leaves its
   * process group dies with it, and falls back to the process group otherwise; `process-group` never
   * creates a cgroup. `LaunchedPlugin.containment` says which a plugin got.
   */
  readonly containment?: ContainmentMode | undefined;
  /**
   * Whether the host-death watchdog (one small `/bin/sh` process per host) kills the plugin's process group
   * and cgroup when the host dies without stopping it, by SIGKILL or a crash included (default true). Off,
   * only a plugin that uses the SDK, and whose event loop runs, takes its group along.
   */
  readonly hostDeathWatchdog?: boolean | undefined;
}

/** {@link RunnerOptions} with every default applied. */
export interface ResolvedRunnerOptions {
  readonly output: OutputWriter | null;
  readonly maxLineBytes: number;
  readonly stderrTailLines: number;
  readonly mirrorBufferChars: number;
  readonly socketDirParent: string | undefined;
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly containment: ContainmentOptions;
}

/** Applies defaults and checks ranges; throws `TetherError('INVALID_OPTIONS')` naming the bad field. */
export function resolveRunnerOptions(options: RunnerOptions = {}): ResolvedRunnerOptions {
  return {
    output: options.output === undefined ? process.stderr : options.output,
    maxLineBytes: integerOption('maxLineBytes', options.maxLineBytes, DEFAULT_MAX_LINE_BYTES, 4),
    stderrTailLines: integerOption('stderrTailLines', options.stderrTailLines, DEFAULT_STDERR_TAIL_LINES, 0),
    mirrorBufferChars: integerOption(
      'mirrorBufferChars',
      options.mirrorBufferChars,
      DEFAULT_MIRROR_BUFFER_CHARS,
      0,
    ),
    socketDirParent: options.socketDirParent,
    hostEnv: options.hostEnv ?? process.env,
    containment: {
      mode: containmentMode(options.containment),
      hostDeathWatchdog: booleanOption('hostDeathWatchdog', options.hostDeathWatchdog, true),
    },
  };
}

function containmentMode(value: ContainmentMode | undefined): ContainmentMode {
  if (value === undefined) return 'auto';
  if (value !== 'auto' && value !== 'process-group') {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Runner option containment must be "auto" or "process-group", got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function booleanOption(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Runner option ${name} must be true or false, got ${String(value)}.`,
    );
  }
  return value;
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Runner option ${name} must be an integer of at least ${min}, got ${value}.`,
    );
  }
  return value;
}

/** Checks a stop grace period; throws `TetherError('INVALID_OPTIONS')`. */
export function checkGraceMs(graceMs: number): number {
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `The stop grace must be a finite number of ms, at least 0; got ${graceMs}.`,
    );
  }
  return graceMs;
}
