// The plugin's side of the host's death (protocol.md 5.3), belt and braces to the transport closing:
// the parent pid changing, or the process named by TETHER_HOST_PID no longer existing.
import { toDisposable, type Disposable } from '../common/disposable.js';
import type { PluginEnvironment } from './plugin-environment.js';

import { HOST_PID_ENV } from '../constants.js';

export { HOST_PID_ENV };

/**
 * Checks every `environment.hostWatchIntervalMs` (an unref'd timer) that the host is alive, and calls
 * `onGone` once, with the reason, when it is not.
 */
export function watchHost(environment: PluginEnvironment, onGone: (reason: string) => void): Disposable {
  const parent = environment.ppid();
  const hostText = environment.env[HOST_PID_ENV];
  const hostPid = hostText !== undefined && /^[1-9][0-9]*$/.test(hostText) ? Number(hostText) : undefined;
  const timer = setInterval(() => {
    const now = environment.ppid();
    let reason: string | undefined;
    if (now !== parent) reason = `its parent process (pid ${parent}) is gone (the parent is now pid ${now})`;
    else if (hostPid !== undefined && !environment.isAlive(hostPid)) {
      reason = `the host process (pid ${hostPid}, from ${HOST_PID_ENV}) no longer exists`;
    }
    if (reason === undefined) return;
    clearInterval(timer);
    onGone(reason);
  }, environment.hostWatchIntervalMs);
  timer.unref();
  return toDisposable(() => clearInterval(timer));
}
