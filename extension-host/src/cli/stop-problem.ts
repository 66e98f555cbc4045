import type { PluginState } from '../client/plugin-client.js';
import type { ExitStatus } from '../process/process-group.js';
import { describeExit } from '../runner/plugin-exited-error.js';

/** The part of a `PluginClient` that `stopPlugin` needs. */
export interface StoppableClient {
  readonly name: string;
  readonly state: PluginState;
  readonly peer: { readonly closed: boolean };
  /** Graceful stop (STOP request, grace, SIGTERM to the group, SIGKILL); resolves with how it exited. */
  stop(): Promise<ExitStatus>;
}

/** How `stopPlugin` went. */
export interface StopOutcome {
  readonly status: ExitStatus;
  /**
   * False when the plugin could not be asked: it had exited, or its connection had closed, by itself (a
   * crash; the error of a pending call says more).
   */
  readonly asked: boolean;
  /** Set when it was asked and did not exit with code 0: what happened, as a line for stderr. */
  readonly problem?: string;
}

/** Stops the plugin and tells whether it stopped cleanly when asked to (issue 10). */
export async function stopPlugin(client: StoppableClient, graceMs: number): Promise<StopOutcome> {
  const asked = client.state !== 'exited' && !client.peer.closed;
  const status = await client.stop();
  const problem = asked ? describeStopProblem(client.name, status, graceMs) : undefined;
  return problem === undefined ? { status, asked } : { status, asked, problem };
}

/**
 * What went wrong when the plugin `name` was stopped — a STOP request, `graceMs` for it to exit, SIGTERM to
 * its process group, SIGKILL after another `graceMs` (`PluginClient.stop()`) — as a line for stderr;
 * `undefined` when it exited with code 0, the only clean way out of a stop.
 */
export function describeStopProblem(name: string, status: ExitStatus, graceMs: number): string | undefined {
  const advice =
    `a plugin must exit with code 0 within ${graceMs} ms of the request (with serve(): its onStop must ` +
    `finish in time without throwing); its output is above and in "tether logs ${name}"`;
  switch (status.signal) {
    case null:
      return status.code === 0
        ? undefined
        : `${name} exited with code ${status.code ?? 'unknown'} when asked to stop; ${advice}.`;
    case 'SIGTERM':
      return `${name} did not stop within ${graceMs} ms of being asked and was killed (SIGTERM); ${advice}.`;
    case 'SIGKILL':
      return `${name} did not stop within ${graceMs} ms of being asked, nor within ${graceMs} ms of SIGTERM, and was killed (SIGKILL); ${advice}.`;
    default:
      return `${name} ${describeExit(status)} while stopping; ${advice}.`;
  }
}
