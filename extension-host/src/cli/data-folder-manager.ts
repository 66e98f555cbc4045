import path from 'node:path';
import { isTetherError, type Remote } from '@tether/sdk';
import { runnerFor } from '../client/start-extension.js';
import { CLI_APP_NAME } from '../constants.js';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import { connectControlSocket, type ControlConnection } from '../manager/control-socket-client.js';
import { ExtensionHostManager } from '../manager/extension-host-manager.js';
import type { ManagerApi } from '../manager/manager-api.js';
import { installProgress } from '../manager/manager-api-service.js';
import { cliDataFolder } from './host-connection.js';

/** The part of `ManagerApi` that changes what is installed. */
export type InstallApi = Pick<Remote<ManagerApi>, 'install' | 'uninstall'>;

export interface DataFolderManager {
  readonly api: InstallApi;
  /** `host`: the running `tether host` of the folder does the work; `local`: a manager in this process. */
  readonly where: 'host' | 'local';
  /** The data folder, resolved. */
  readonly dataFolder: string;
}

/**
 * Runs `use` with the manager of a data folder (`--data`, default that of `tether host`): the running
 * `tether host`'s, through its control socket, so its manager sees the change at once and runs the new
 * version; when no host runs, a manager created in this process over that folder (no folder watching, log
 * files where `tether host` writes them), disposed afterwards — which stops any extension it started. Its
 * extensions' output is not mirrored here: it is in their log files, and a failed trial start quotes it.
 */
export async function withDataFolderManager<T>(
  dataFolder: string | undefined,
  use: (manager: DataFolderManager) => Promise<T>,
): Promise<T> {
  const folder = path.resolve(cliDataFolder(dataFolder));
  let connection: ControlConnection | undefined;
  try {
    connection = await connectControlSocket(folder);
  } catch (error) {
    if (!isTetherError(error) || error.code !== 'HOST_NOT_RUNNING') throw error;
  }
  if (connection !== undefined) {
    try {
      return await use({ api: connection.api, where: 'host', dataFolder: folder });
    } finally {
      connection.dispose();
    }
  }
  const manager = await ExtensionHostManager.create({
    app: { name: CLI_APP_NAME },
    dataFolder: folder,
    watch: false,
    logSink: new ElectronLogSink({ dir: defaultLogDir() }),
    runnerFor: (manifest) => runnerFor(manifest, { output: null }),
  });
  try {
    const api: InstallApi = {
      install: (source, options) => Promise.resolve(installProgress(manager, source, options)),
      uninstall: (id, options) => manager.uninstall(id, options),
    };
    return await use({ api, where: 'local', dataFolder: folder });
  } finally {
    await manager.dispose();
  }
}
