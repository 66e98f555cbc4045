import { EXIT_OK } from './exit-code.js';
import { hostCall, withHost } from './host-connection.js';
import { printCallResult } from './print-call-result.js';
import type { Output } from './run-command.js';

export interface ExecCommandInput {
  readonly commandId: string;
  readonly args: readonly unknown[];
  readonly json: boolean;
  readonly dataFolder?: string;
}

/**
 * `tether exec <command-id> [args…]`: runs a contributed command on the running host (which starts the
 * extension that contributes it if needed) and prints the result as `tether run --call` does: a streamed
 * result item by item, while the host connection stays open. The command's error (or the stream's) comes
 * back with its name and code, as a CallFailedError.
 */
export async function execCommand(input: ExecCommandInput, io: { readonly stdout: Output }): Promise<number> {
  await withHost(input.dataFolder, (api) =>
    hostCall(input.commandId, async () => {
      const result = await api.executeCommand(input.commandId, [...input.args]);
      await printCallResult(result, input.json, io.stdout);
    }),
  );
  return EXIT_OK;
}
