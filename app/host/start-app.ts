// `npm start`'s browser mode (start.ts picks it where the Electron app cannot run, or when asked): the
// Tether app in a browser — Electron's binary cannot be installed on every machine, and the UI is one bundle
// that runs in either. An extension manager over the user's data folder (the sample extensions installed on
// its first run), its control socket for the `tether` CLI, and the web host serving the UI with `ManagerApi`.
// The Electron app sets up the same host the same way (app/main/app-host.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ControlSocketServer,
  ElectronLogSink,
  ExtensionHostManager,
  defaultDataFolder,
  defaultLogDir,
  managerApiBinding,
} from '@tether/extension-host';
import {
  openBrowser,
  removeBrowserRedirect,
  serveWebUi,
  type OpenBrowserResult,
} from '@tether/extension-host/web';
import { reportManagerActivity, shutDownHost, signalOnStop, stopRequested } from '@tether/extension-host/cli';
import { installSamplesOnFirstRun } from './install-samples.js';
import { PARENT_EXITED, parentExitSignal } from './parent-exit.js';
import { sampleEnvironment } from './sample-environment.js';
import { sampleHostServices } from './sample-host-services.js';
import type { StartOptions } from './start-options.js';
import { ensureUiBundle } from './ui-bundle.js';

/** The name the app's lines start with, and its manager's app name (that of `tether host`). */
const NAME = 'tether app';
const APP_NAME = 'tether';

export interface StartIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Stops the app (default: SIGINT, SIGTERM or SIGHUP, or the parent process exiting: parent-exit.ts). */
  readonly signal?: AbortSignal;
}

/** Where the app's parts are in the repository. */
const appFolder = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const samplesFolder = fileURLToPath(new URL('../../sample-extensions', import.meta.url));

/**
 * Runs the app until SIGINT, SIGTERM or SIGHUP (or `io.signal`), then stops every extension, closes the UI
 * and the control socket (removing it) and returns 0 (1 when something failed to stop).
 * @throws TetherError HOST_ALREADY_RUNNING when a host serves the data folder already; INVALID_OPTIONS
 *   when the UI cannot be built or the port cannot be used.
 */
export async function startApp(options: StartOptions, io: StartIo): Promise<number> {
  const stop = io.signal ?? AbortSignal.any([signalOnStop(NAME), parentExitSignal()]);
  const print = (line: string): void => void io.stdout.write(`${line}\n`);
  const say = (line: string): void => print(`${clock()} ${NAME}: ${line}`);
  const { dataFolder } = options;
  // First the socket: a second host on the same folder must fail before it touches anything.
  const control = await ControlSocketServer.claim(dataFolder);
  const closeLater: (() => Promise<void>)[] = [() => control.close()];
  let manager: ExtensionHostManager | undefined;
  try {
    manager = await ExtensionHostManager.create({
      app: { name: APP_NAME, hostServices: await sampleHostServices(dataFolder) },
      dataFolder,
      env: await sampleEnvironment(dataFolder),
      // Where `tether run` and `tether host` write them, so `tether logs` finds them.
      logSink: new ElectronLogSink({ dir: defaultLogDir() }),
    });
    const activity = reportManagerActivity(manager, print);
    control.serve([managerApiBinding(manager)]);
    say(`data folder ${dataFolder}; ${manager.list().length} extensions installed.`);
    // The samples are a welcome, not a requirement: the app runs without them.
    await installSamplesOnFirstRun(manager, { dataFolder, samplesFolder, say, signal: stop }).catch(
      (error: unknown) =>
        say(
          `could not install the sample extensions: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    const staticRoot =
      options.uiRoot ?? (stop.aborted ? undefined : await ensureUiBundle({ appFolder, repositoryRoot }, say));
    if (staticRoot !== undefined && !stop.aborted) {
      const web = await serveWebUi({ manager, staticRoot, port: options.port });
      closeLater.unshift(() => web.close());
      // `tether list` without --data looks in the folder of `tether host`.
      const dataFlag =
        dataFolder === path.resolve(defaultDataFolder(APP_NAME)) ? '' : ` --data ${dataFolder}`;
      say(`the UI: ${web.url}`);
      say(`"tether list${dataFlag}" and the other tether commands talk to it; Ctrl-C stops it.`);
      if (options.open) {
        const opened = await openBrowser(web.url, dataFolder);
        closeLater.unshift(() => removeBrowserRedirect(opened));
        say(openedLine(opened));
      }
    }
    await stopRequested(stop);
    if (stop.reason === PARENT_EXITED) say('the process that started it (npm) went away; stopping.');
    const status = await shutDownHost(NAME, manager, closeLater, { stdout: io.stdout, stderr: io.stderr });
    activity.dispose();
    return status;
  } catch (error) {
    for (const close of closeLater) await close().catch(() => undefined);
    await manager?.dispose().catch(() => undefined);
    throw error;
  }
}

function openedLine(result: OpenBrowserResult): string {
  if (result.opened) return 'opened it in your browser.';
  switch (result.reason) {
    case 'no-display':
      return 'no display here (DISPLAY and WAYLAND_DISPLAY are unset): open that URL in a browser yourself.';
    case 'no-opener':
      return 'no program to open a browser with (xdg-open): open that URL in a browser yourself.';
    default:
      return 'could not open a browser: open that URL in a browser yourself.';
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
