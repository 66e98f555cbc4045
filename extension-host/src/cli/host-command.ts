import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CLI_APP_NAME } from '../constants.js';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import { ControlSocketServer } from '../manager/control-socket-server.js';
import { ExtensionHostManager } from '../manager/extension-host-manager.js';
import { managerApiBinding } from '../manager/manager-api-service.js';
import { cliDataFolder } from './host-connection.js';
import { shutDownHost } from './host-shutdown.js';
import { reportManagerActivity } from './manager-activity.js';
import type { Output } from './run-command.js';
import { clockTime, extensionLine } from './state-change-line.js';
import { signalOnStop, stopRequested } from './stop-signal.js';

export interface HostCommandInput {
  readonly extensionFolders: readonly string[];
  readonly dataFolder?: string;
}

export interface HostIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Stops the host (default: SIGINT, SIGTERM or SIGHUP). */
  readonly signal?: AbortSignal;
}

/**
 * `tether host`: claims the data folder's control socket (one host per folder), creates the manager (app
 * `tether`, no app cookie: each extension uses its manifest's), prints each extension and then each state
 * change, serves `ManagerApi` on the control socket, and on SIGINT/SIGTERM/SIGHUP closes the socket and
 * stops every extension. Returns 0 once all is stopped.
 */
export async function hostCommand(input: HostCommandInput, io: HostIo): Promise<number> {
  const dataFolder = path.resolve(cliDataFolder(input.dataFolder));
  const extensionFolders = input.extensionFolders.map((folder) => path.resolve(folder));
  const stop = io.signal ?? signalOnStop('tether host');
  for (const folder of extensionFolders) {
    if (!(await isFolder(folder))) {
      io.stderr.write(
        `tether host: ${folder} is not a folder (yet); extensions put there later will be found.\n`,
      );
    }
  }
  // First the socket: a second host for the same folder must fail before it starts any extension.
  const control = await ControlSocketServer.claim(dataFolder);
  let manager: ExtensionHostManager;
  try {
    manager = await ExtensionHostManager.create({
      app: { name: CLI_APP_NAME },
      extensionFolders,
      dataFolder,
      // Where `tether run` writes them too, so `tether logs` finds them with or without a host.
      logSink: new ElectronLogSink({ dir: defaultLogDir() }),
    });
  } catch (error) {
    await control.close();
    throw error;
  }
  const say = (line: string): void => void io.stdout.write(`${line}\n`);
  const activity = reportManagerActivity(manager, say);

  const list = manager.list();
  const now = new Date();
  say(
    `${clockTime(now)} tether host: ${list.length} extension${list.length === 1 ? '' : 's'} in ${extensionFolders.join(', ')}`,
  );
  for (const snapshot of list) say(extensionLine(snapshot, now));
  control.serve([managerApiBinding(manager)]);
  const defaultFolder = path.resolve(cliDataFolder(undefined));
  const dataFlag = dataFolder === defaultFolder ? '' : ` --data ${dataFolder}`;
  say(
    `${clockTime(new Date())} tether host: listening on ${control.path} ("tether list${dataFlag}" talks to it); Ctrl-C stops every extension and exits.`,
  );

  await stopRequested(stop);
  try {
    return await shutDownHost('tether host', manager, [() => control.close()], io);
  } finally {
    activity.dispose();
  }
}

async function isFolder(folder: string): Promise<boolean> {
  return stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
