// `tether dev <extension-dir>`: an author's extension run by a real manager, shown in the app's UI in a
// browser, and restarted whenever its files change.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Disposable } from '@tether/sdk';
import { CLI_APP_NAME, DEV_RESTART_DEBOUNCE_MS } from '../constants.js';
import { defaultLogDir } from '../logging/default-log-dir.js';
import { ElectronLogSink } from '../logging/electron-log-sink.js';
import { ControlSocketServer } from '../manager/control-socket-server.js';
import { ExtensionHostManager } from '../manager/extension-host-manager.js';
import type { ExtensionState } from '../manager/extension-state.js';
import { managerApiBinding } from '../manager/manager-api-service.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { openBrowser, removeBrowserRedirect, type OpenBrowserResult } from '../web/open-browser.js';
import { uiBundleFolder } from '../web/ui-bundle-folder.js';
import { serveWebUi, type WebUiServer } from '../web/web-ui-server.js';
import { ExtensionFolderWatcher } from './extension-folder-watcher.js';
import { shutDownHost } from './host-shutdown.js';
import { reportManagerActivity } from './manager-activity.js';
import type { Output } from './run-command.js';
import { clockTime } from './state-change-line.js';
import { signalOnStop, stopRequested } from './stop-signal.js';

export interface DevCommandInput {
  readonly extensionDir: string;
  /** The web UI's port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number;
  /** Open the UI in the browser (when there is a display). */
  readonly open: boolean;
  /** The UI bundle's folder; default the built UI of the `@tether/app` package. */
  readonly uiRoot?: string;
}

export interface DevIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Stops it (default: SIGINT, SIGTERM or SIGHUP). */
  readonly signal?: AbortSignal;
}

/** States in which a change of the extension's files restarts it (it runs, or tried to and failed). */
const restartedStates: ReadonlySet<ExtensionState> = new Set([
  'starting',
  'running',
  'unresponsive',
  'crashed',
  'failed',
]);

/**
 * `tether dev`: checks the folder's manifest, creates a manager over a new temporary data folder with that
 * folder as its one (development) extension, serves the control socket (`tether list --data <tmp>`) and
 * the web UI, starts the extension, prints the UI's URL (and opens it, unless `open` is false or there is
 * no display), and restarts the extension a moment after its files change. On SIGINT/SIGTERM/SIGHUP it
 * stops everything and deletes the temporary folder. Returns 0 once all is stopped.
 */
export async function devCommand(input: DevCommandInput, io: DevIo): Promise<number> {
  const folder = path.resolve(input.extensionDir);
  const manifest = await readManifest(folder); // an invalid manifest fails here, every problem listed
  const staticRoot = input.uiRoot ?? uiBundleFolder();
  const stop = io.signal ?? signalOnStop('tether dev');
  const say = (line: string): void => void io.stdout.write(`${clockTime(new Date())} tether dev: ${line}\n`);
  const dataFolder = await mkdtemp(path.join(tmpdir(), 'tether-dev-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rm(dataFolder, { recursive: true, force: true })];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  let manager: ExtensionHostManager;
  let control: ControlSocketServer;
  let web: WebUiServer;
  let activity: Disposable;
  try {
    control = await ControlSocketServer.claim(dataFolder);
    cleanups.push(() => control.close());
    manager = await ExtensionHostManager.create({
      app: { name: CLI_APP_NAME },
      extensionFolders: [folder],
      dataFolder,
      // Where `tether logs` reads them.
      logSink: new ElectronLogSink({ dir: defaultLogDir() }),
    });
    cleanups.push(() => manager.dispose());
    activity = reportManagerActivity(manager, (line) => void io.stdout.write(`${line}\n`));
    cleanups.push(() => activity.dispose());
    web = await serveWebUi({
      manager,
      staticRoot,
      ...(input.port === undefined ? {} : { port: input.port }),
    });
    cleanups.push(() => web.close());
  } catch (error) {
    await cleanUp();
    throw error;
  }
  control.serve([managerApiBinding(manager)]);
  const id = manifest.name;
  const restart = async (files: readonly string[]): Promise<void> => {
    const shown =
      files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
    await manager.rescan();
    const state = manager.list().find((extension) => extension.id === id)?.state;
    if (state === undefined || !restartedStates.has(state)) {
      say(`${shown} changed; ${id} is ${state ?? 'gone'}, so it is not restarted.`);
      return;
    }
    say(`${shown} changed; restarting ${id}.`);
    await manager.restart(id);
  };
  let restarting = Promise.resolve();
  const watcher = await ExtensionFolderWatcher.watch(
    folder,
    (files) => {
      restarting = restarting
        .then(() => restart(files))
        .catch((error: unknown) => say(`restarting ${id} failed: ${messageOf(error)}`));
    },
    DEV_RESTART_DEBOUNCE_MS,
  );
  say(`${id} ${manifest.version} from ${folder}; restarted when its files change.`);
  say(`the UI: ${web.url}`);
  say(
    `its data folder, deleted at the end: ${dataFolder} ("tether list --data ${dataFolder}" talks to it); Ctrl-C stops it.`,
  );
  let opened: OpenBrowserResult | undefined;
  if (input.open) {
    opened = await openBrowser(web.url, dataFolder);
    if (!opened.opened) say('open the UI in your browser yourself (no display or no program to open it).');
  }
  void manager.start(id).catch(() => undefined); // its failure is a state change, printed with its reason

  await stopRequested(stop);
  watcher.dispose();
  const status = await shutDownHost(
    'tether dev',
    manager,
    [() => removeBrowserRedirect(opened), () => web.close(), () => control.close(), () => restarting],
    io,
  );
  activity.dispose();
  await rm(dataFolder, { recursive: true, force: true });
  return status;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
