// What the plugin side needs from its process, behind an interface so the serve logic is testable in-process.
import { HOST_WATCH_INTERVAL_MS } from '../constants.js';

/** The process a plugin runs in: its environment, its parent, its stderr and how it exits. */
export interface PluginEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pid: number;
  /** The current parent pid (changes when the parent dies and the process is re-parented). */
  ppid(): number;
  /** Whether a process with this pid exists (`process.kill(pid, 0)`; ESRCH means gone, EPERM means exists). */
  isAlive(pid: number): boolean;
  writeStderr(text: string): void;
  /** Ends the process. A test's replacement may return; callers must not rely on it returning or not. */
  exit(code: number): void;
  /** How often the host's liveness is checked, ms. */
  readonly hostWatchIntervalMs: number;
}

/** The real process. `exit` defaults to `process.exit`. */
export function processEnvironment(exit?: (code: number) => never): PluginEnvironment {
  return {
    env: process.env,
    pid: process.pid,
    ppid: () => process.ppid,
    isAlive,
    writeStderr: (text) => {
      process.stderr.write(text);
    },
    exit: exit ?? ((code) => process.exit(code)),
    hostWatchIntervalMs: HOST_WATCH_INTERVAL_MS,
  };
}

/** Whether a process with this pid exists (one of another user's counts: EPERM is not ESRCH). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
