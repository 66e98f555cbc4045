// How the manager reads the errors of a start or a crash: which cannot be fixed by a retry, and what of the
// process's end (exit code, signal, stderr tail) goes into an extension's `lastError`.
import type { PluginCrash } from '../client/plugin-client.js';
import type { ExtensionError } from './extension-state.js';

/** Start errors that a retry cannot fix: the extension goes to `failed` at once instead of a restart loop. */
const permanentStartErrors: ReadonlySet<string> = new Set([
  'ENTRY_NOT_FOUND',
  'ENTRY_NOT_EXECUTABLE',
  'COOKIE_MISMATCH',
  'CORE_VERSION_MISMATCH',
  'NO_COMMON_VERSION',
  'INVALID_OPTIONS',
  'INVALID_MANIFEST',
  'INCOMPATIBLE_HOST',
  'PTY_UNAVAILABLE',
  'REQUIREMENT_UNMET',
]);

export function isPermanentStartError(code: string): boolean {
  return permanentStartErrors.has(code);
}

/** The exit status and stderr tail a start error carries (PLUGIN_EXITED has both), as `lastError` fields. */
export function exitDetails(error: unknown): Partial<ExtensionError> {
  const details = error as {
    status?: { code?: number | null; signal?: string | null };
    stderrTail?: readonly string[];
  };
  return {
    ...(details.status === undefined
      ? {}
      : { exitCode: details.status.code ?? null, signal: details.status.signal ?? null }),
    ...(Array.isArray(details.stderrTail) ? { stderrTail: details.stderrTail } : {}),
  };
}

/** "exit code 3", "signal SIGKILL". */
export function describeCrash(crash: PluginCrash): string {
  if (crash.signal !== null) return `signal ${crash.signal}`;
  return crash.code === null ? 'unknown status' : `exit code ${crash.code}`;
}
