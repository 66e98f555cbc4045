import type { LifecycleAction } from './cli-flags.js';
import { EXIT_OK } from './exit-code.js';
import { hostCall, withHost } from './host-connection.js';
import type { Output } from './run-command.js';

export interface LifecycleCommandInput {
  readonly action: LifecycleAction;
  readonly extension: string;
  readonly dataFolder?: string;
}

/**
 * `tether start|stop|restart|enable|disable <extension>`: asks the running host, then prints the extension's
 * state (`@acme/kv: running (pid 4242)`). The host's error (EXTENSION_NOT_FOUND, a failed start…) is thrown
 * as a CallFailedError, so it is printed with its code.
 */
export async function lifecycleCommand(
  input: LifecycleCommandInput,
  io: { readonly stdout: Output },
): Promise<number> {
  const { action, extension } = input;
  const snapshot = await withHost(input.dataFolder, async (api) => {
    await hostCall(`${action} ${extension}`, () => api[action](extension));
    return await hostCall(`${action} ${extension}`, () => api.get(extension));
  });
  const pid = snapshot.pid === undefined ? '' : ` (pid ${snapshot.pid})`;
  io.stdout.write(`${snapshot.id}: ${snapshot.state}${pid}\n`);
  return EXIT_OK;
}
