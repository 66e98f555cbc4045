import { EXIT_OK } from './exit-code.js';
import { formatResult } from './format-result.js';
import { hostCall, withHost } from './host-connection.js';
import type { Output } from './run-command.js';

export interface ExecCommandInput {
  readonly commandId: string;
  readonly args: readonly unknown[];
  readonly json: boolean;
  readonly dataFolder?: string;
}

/**
 * `tether exec <command-id> [args…]`: runs a contributed command on the running host (which starts the
 * extension that contributes it if needed) and prints the result as `tether run --call` does. The command's
 * error comes back with its code, as a CallFailedError.
 */
export async function execCommand(input: ExecCommandInput, io: { readonly stdout: Output }): Promise<number> {
  const result = await withHost(input.dataFolder, (api) =>
    hostCall(input.commandId, () => api.executeCommand(input.commandId, [...input.args])),
  );
  io.stdout.write(`${formatResult(result, input.json)}\n`);
  return EXIT_OK;
}
