// The Electron app's host, without Electron: what `npm start`'s browser mode sets up (app/host/start-app.ts),
// the same way — the control socket for the `tether` CLI (claimed first: a second host on the same folder
// fails before touching anything), an extension manager over the data folder with the samples' host
// services and environment, per-extension electron-log files, the sample extensions on the first run — but
// with the app's runners (electron-runners.ts) and its log folder. Runs in plain Node too (its tests).
import { existsSync } from 'node:fs';
import {
  ControlSocketServer,
  ElectronLogSink,
  ExtensionHostManager,
  managerApiBinding,
  type ExtensionManifest,
  type Runner,
} from '@tether/extension-host';
import { reportManagerActivity, shutDownHost } from '@tether/extension-host/cli';
import type { Disposable } from '@tether/sdk';
import { sampleEnvironment } from '../host/sample-environment.js';
import { sampleHostServices } from '../host/sample-host-services.js';
import { APP_NAME, MAIN_NAME } from './constants.js';

export interface AppHostOptions {
  /** The data folder: extensions, their state, keys, the control socket (`app.getPath('userData')`). */
  readonly dataFolder: string;
  /** Where each extension's log file goes (`app.getPath('logs')`). */
  readonly logsFolder: string;
  /** The runner of each extension (`electronRunnerFor`); undefined keeps the manager's default. */
  readonly runnerFor: (manifest: ExtensionManifest) => Runner | undefined;
  /** The sample extensions' sources, installed on the first run on the data folder when they exist. */
  readonly samplesFolder?: string | undefined;
  /** More folders of extensions besides the data folder's (authors' development folders). */
  readonly extensionFolders?: readonly string[];
  /** Where the host's lines go (a line each, no newline). */
  readonly print: (line: string) => void;
  /** Where a failure to stop is reported (shutDownHost's stderr). */
  readonly printError?: (line: string) => void;
}

export class AppHost implements Disposable {
  readonly manager: ExtensionHostManager;
  readonly #control: ControlSocketServer;
  readonly #activity: Disposable;
  readonly #options: AppHostOptions;
  readonly #stopSamples = new AbortController();
  #stopping: Promise<number> | undefined;

  private constructor(
    manager: ExtensionHostManager,
    control: ControlSocketServer,
    activity: Disposable,
    options: AppHostOptions,
  ) {
    this.manager = manager;
    this.#control = control;
    this.#activity = activity;
    this.#options = options;
  }

  /**
   * Claims the data folder's control socket, creates the manager and serves `ManagerApi` on the socket.
   * @throws TetherError HOST_ALREADY_RUNNING when a host (`npm start`, `tether host`, another app) serves
   *   the data folder already; INVALID_OPTIONS when the folder cannot be used.
   */
  static async start(options: AppHostOptions): Promise<AppHost> {
    const { dataFolder } = options;
    const control = await ControlSocketServer.claim(dataFolder);
    try {
      const manager = await ExtensionHostManager.create({
        app: { name: APP_NAME, hostServices: await sampleHostServices(dataFolder) },
        dataFolder,
        ...(options.extensionFolders === undefined ? {} : { extensionFolders: options.extensionFolders }),
        env: await sampleEnvironment(dataFolder),
        logSink: new ElectronLogSink({ dir: options.logsFolder }),
        runnerFor: options.runnerFor,
      });
      const activity = reportManagerActivity(manager, options.print);
      control.serve([managerApiBinding(manager)]);
      return new AppHost(manager, control, activity, options);
    } catch (error) {
      await control.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Installs the sample extensions on the first run on the data folder, when their sources are there (a
   * development checkout; a packaged app has none). Never rejects: a failure is said, the app goes on.
   */
  async installSamples(): Promise<void> {
    const { samplesFolder, dataFolder, print } = this.#options;
    if (samplesFolder === undefined || !existsSync(samplesFolder)) return;
    const say = (line: string): void =>
      print(`${new Date().toTimeString().slice(0, 8)} ${MAIN_NAME}: ${line}`);
    try {
      // Loaded only here: packing a sample needs esbuild, which a packaged app does not ship.
      const { installSamplesOnFirstRun } = await import('../host/install-samples.js');
      await installSamplesOnFirstRun(this.manager, {
        dataFolder,
        samplesFolder,
        say,
        signal: this.#stopSamples.signal,
      });
    } catch (error) {
      say(
        `could not install the sample extensions: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Stops: runs `closeFirst` (the windows' ports: no UI may start an extension while they stop), closes the
   * control socket, then stops every extension — asked, then SIGTERM, then SIGKILL after its stop grace
   * (`shutDownHost`, as `npm start` stops). Resolves with 0, or 1 when something failed to stop. Once.
   */
  stop(closeFirst: readonly (() => Promise<void>)[] = []): Promise<number> {
    this.#stopping ??= (async () => {
      this.#stopSamples.abort();
      const { print, printError = print } = this.#options;
      const status = await shutDownHost(
        MAIN_NAME,
        this.manager,
        [...closeFirst, () => this.#control.close()],
        {
          stdout: { write: (text: string) => print(text.replace(/\n$/, '')) },
          stderr: { write: (text: string) => printError(text.replace(/\n$/, '')) },
        },
      );
      this.#activity.dispose();
      return status;
    })();
    return this.#stopping;
  }

  dispose(): void {
    void this.stop();
  }
}
