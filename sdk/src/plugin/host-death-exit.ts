// A plugin that dies with its host takes its process group along (issue 10). The host's runners start each
// plugin as the leader of a process group of its own, so that stopping the plugin reaches everything it
// started; a host killed by SIGKILL can signal nothing, so the plugin, which notices the host's death
// (protocol.md 5.3), SIGKILLs that group — itself included — rather than leave its children running.
import { HOST_DEATH_CONFIRM_MS, HOST_DEATH_CONFIRM_POLL_MS } from '../constants.js';
import { StreamTransport } from '../transport/node/stream-transport.js';
import type { Transport } from '../transport/transport.js';
import { HOST_PID_ENV } from './host-watch.js';
import type { PluginEnvironment } from './plugin-environment.js';

/** This process's own process group, as far as a plugin touches it. */
export interface OwnProcessGroup {
  /**
   * Whether this process leads a process group (`kill(-pid, 0)` finds a group whose id is its pid). POSIX
   * does not reuse a pid while a process group of that id exists, so such a group can only be the one this
   * process created (it was started with `setsid()`, as the host's runners start plugins); otherwise ESRCH.
   */
  isLeader(): boolean;
  /** SIGKILLs the whole group, this process included. */
  kill(): void;
}

/** The real process group led by `pid` (never one on Windows, which has no process groups). */
export function ownProcessGroup(pid: number): OwnProcessGroup {
  return {
    isLeader() {
      if (process.platform === 'win32') return false;
      try {
        process.kill(-pid, 0);
        return true;
      } catch (error) {
        // EPERM: the group exists, with a member we may not signal (a setuid program it started).
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    kill() {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // ESRCH: no such group; EPERM: the members we may signal were signalled.
      }
    },
  };
}

/**
 * `environment` with an `exit` that takes the process group along when the host is gone: when this process
 * leads its group and exits with a non-zero code (code 0 is a stop the host asked for) while its parent has
 * changed or the process in `TETHER_HOST_PID` no longer exists, it SIGKILLs the group instead of exiting.
 *
 * The host ending the connection is the first sign of its death, but a SIGKILLed host's socket closes a
 * little before the kernel re-parents its children. So when the host ended the connection and its death
 * does not show yet, the exit waits up to {@link HOST_DEATH_CONFIRM_MS} for it to show; a host still alive
 * then closed the connection on purpose and cleans up itself (it SIGKILLs what is left of the group when
 * it sees the plugin exit). A plugin that exits for its own reasons while connected exits at once.
 */
export function exitWithGroupOnHostDeath(
  environment: PluginEnvironment,
  transport: Transport,
  group: OwnProcessGroup = ownProcessGroup(environment.pid),
): PluginEnvironment {
  const parent = environment.ppid();
  const hostText = environment.env[HOST_PID_ENV];
  const hostPid = hostText !== undefined && /^[1-9][0-9]*$/.test(hostText) ? Number(hostText) : undefined;
  const hostGone = (): boolean =>
    environment.ppid() !== parent || (hostPid !== undefined && !environment.isAlive(hostPid));

  // The host's side ended the connection ('end'; a reset is an 'error'): never this side closing it. Ahead
  // of the transport's own listeners, which close the session and so call `exit` in the same tick.
  let hostEnded = false;
  if (transport instanceof StreamTransport) {
    const ended = (): void => {
      hostEnded = true;
    };
    transport.stream.prependOnceListener('end', ended);
    transport.stream.prependListener('error', ended);
  }

  let confirming = false;
  const exit = (code: number): void => {
    if (confirming) return;
    if (code === 0 || !group.isLeader()) {
      environment.exit(code);
    } else if (hostGone()) {
      group.kill();
      environment.exit(code);
    } else if (!hostEnded) {
      environment.exit(code);
    } else {
      confirming = true;
      const deadline = Date.now() + HOST_DEATH_CONFIRM_MS;
      const check = (): void => {
        if (hostGone()) group.kill();
        else if (Date.now() < deadline) {
          setTimeout(check, HOST_DEATH_CONFIRM_POLL_MS);
          return;
        }
        environment.exit(code);
      };
      setTimeout(check, HOST_DEATH_CONFIRM_POLL_MS);
    }
  };
  return { ...environment, exit };
}
