import { constants } from 'node:os';
import type { ExitStatus } from '../process/process-group.js';

/** Exit statuses of the `tether` command (see "Exit status" in help.ts). */
export const EXIT_OK = 0;
/** The command failed, or the extension did not stop cleanly when `tether run` stopped it. */
export const EXIT_FAILURE = 1;
/** The command line is wrong, or there is no command at all. */
export const EXIT_USAGE = 2;

/**
 * The exit status a shell would report for a process that ended with `status`: its code, or 128 + the
 * signal's number when a signal killed it (SIGKILL → 137, SIGTERM → 143), so `tether run` can stand in for
 * the plugin in scripts (`$?`).
 */
export function exitCodeOf(status: ExitStatus): number {
  if (status.code !== null) return status.code;
  if (status.signal !== null) return signalExitCode(status.signal);
  return 1;
}

/** 128 + the number of `signal` (SIGINT → 130, SIGHUP → 129); 1 for a name this platform does not know. */
export function signalExitCode(signal: NodeJS.Signals): number {
  const number = (constants.signals as Partial<Record<string, number>>)[signal];
  return number === undefined ? 1 : 128 + number;
}
