import type { Remote } from '@tether/sdk';
import { CLI_APP_NAME } from '../constants.js';
import { connectControlSocket } from '../manager/control-socket-client.js';
import type { ManagerApi } from '../manager/manager-api.js';
import { defaultDataFolder } from '../manager/manager-options.js';
import { CallFailedError } from './call-failed-error.js';

/** The data folder a host command means: `--data`, else the default of `tether host`. */
export function cliDataFolder(dataFolder: string | undefined): string {
  return dataFolder ?? defaultDataFolder(CLI_APP_NAME);
}

/**
 * Connects to the `tether host` of `dataFolder` (`--data`; default that of `tether host`), runs `use` with
 * its `ManagerApi`, and disconnects.
 * @throws TetherError HOST_NOT_RUNNING when no host runs for that folder, saying how to start one.
 */
export async function withHost<T>(
  dataFolder: string | undefined,
  use: (api: Remote<ManagerApi>) => Promise<T>,
): Promise<T> {
  const connection = await connectControlSocket(cliDataFolder(dataFolder));
  try {
    return await use(connection.api);
  } finally {
    connection.dispose();
  }
}

/** `call()`, its failure thrown as a CallFailedError naming `what` (printed as "what failed: Name [CODE]: message"). */
export async function hostCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new CallFailedError(what, error);
  }
}
