import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Disposable } from '@tether/sdk';
import { CLI_APP_NAME } from '../constants.js';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import { formatLogLine } from '../logging/format-log-line.js';
import { ControlSocketServer } from '../manager/control-socket-server.js';
import { ExtensionHostManager, MANAGER_LOG_NAME } from '../manager/extension-host-manager.js';
import { managerApiBinding } from '../manager/manager-api-service.js';
import { EXIT_FAILURE, EXIT_OK } from './exit-code.js';
import { cliDataFolder } from './host-connection.js';
import type { Output } from './run-command.js';
import { clockTime, extensionLine, stateChangeLine } from './state-change-line.js';

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

const stopSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `tether host`: claims the data folder's control socket (one host per folder), creates the manager (app
 * `tether`, no app cookie: each extension uses its manifest's), prints each extension and then each state
 * change, serves `ManagerApi` on the control socket, and on SIGINT/SIGTERM/SIGHUP closes the socket and
 * stops every extension. Returns 0 once all is stopped.
 */
export async function hostCommand(input: HostCommandInput, io: HostIo): Promise<number> {
  const dataFolder = path.resolve(cliDataFolder(input.dataFolder));
  const extensionFolders = input.extensionFolders.map((folder) => path.resolve(folder));
  const stop = io.signal ?? signalOnStop();
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
  const subscriptions: Disposable[] = [
    manager.onDidChangeState((change) => say(stateChangeLine(change, new Date()))),
    manager.onDidChangeExtensions(({ added, removed }) => {
      const now = new Date();
      for (const snapshot of added) say(`${extensionLine(snapshot, now)} (found)`);
      for (const id of removed) say(`${clockTime(now)} ${id} removed`);
    }),
  ];
  // The manager's own warnings (a damaged state file set aside…), those of its start and those to come.
  const managerLogs = { extension: MANAGER_LOG_NAME, minLevel: 'warn' } as const;
  for (const record of manager.logStore.query({ ...managerLogs, limit: 100 }).records)
    say(formatLogLine(record));
  subscriptions.push(
    manager.logStore.subscribe(managerLogs, (records) => {
      for (const record of records) say(formatLogLine(record));
    }),
  );

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

  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  const running = manager.list().filter((e) => e.pid !== undefined).length;
  say(
    `${clockTime(new Date())} tether host: stopping${running === 0 ? '' : ` ${running} running extension${running === 1 ? '' : 's'}`}…`,
  );
  let status = EXIT_OK;
  await control.close();
  try {
    await manager.dispose();
  } catch (error) {
    io.stderr.write(
      `tether host: stopping the extensions failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    status = EXIT_FAILURE;
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
  say(`${clockTime(new Date())} tether host: stopped.`);
  return status;
}

async function isFolder(folder: string): Promise<boolean> {
  return stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Aborts on the first SIGINT, SIGTERM or SIGHUP; later ones are ignored while the host stops. */
function signalOnStop(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(
        `tether host: ${signal} again; still stopping the extensions (each within its stop grace).\n`,
      );
      return;
    }
    controller.abort();
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  // The handlers stay until the process exits: a signal during the stop must not kill the host half-way.
  return controller.signal;
}
