import { TetherError, type TetherErrorOptions } from '@tether/sdk';
import type { ExitStatus } from '../process/process-group.js';

/** The plugin process exited before it connected (or before the operation completed). PLUGIN_EXITED. */
export class PluginExitedError extends TetherError {
  override name = 'PluginExitedError';
  readonly exitStatus: ExitStatus;
  /** The plugin's last stderr lines, oldest first. */
  readonly stderrTail: readonly string[];

  constructor(
    message: string,
    exitStatus: ExitStatus,
    stderrTail: readonly string[],
    options?: TetherErrorOptions,
  ) {
    super('PLUGIN_EXITED', message, options);
    this.exitStatus = exitStatus;
    this.stderrTail = stderrTail;
  }
}

/** "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(status: ExitStatus): string {
  return status.signal !== null ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}
