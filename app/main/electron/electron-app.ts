// Electron glue: the app's life. Before `ready`: the app:// scheme, the sandbox for every renderer, the
// single-instance lock (a second instance focuses the first and exits). Then: the host (../app-host.ts: the
// manager over `app.getPath('userData')` with the utility-process and pty runners, electron-log files in
// `app.getPath('logs')`, the control socket), the guards, the window and its port hand-off, and in
// development builds the Tether panel in the app's DevTools (../devtools-panel.ts). Quitting (the last
// window closed, Cmd+Q, SIGINT/SIGTERM) runs ../quit-sequence.ts: every extension stops, then the app exits.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, session, type MessagePortMain } from 'electron';
import { MANAGER_LOG_NAME, PtyRunner, defaultDataFolder, managerApiBinding } from '@tether/extension-host';
import { signalOnStop } from '@tether/extension-host/cli';
import { createUtilityRunner } from '@tether/extension-host/electron';
import { AppHost } from '../app-host.js';
import { appLayout } from '../app-layout.js';
import { trustedOrigins } from '../app-origin.js';
import { APP_NAME, MAIN_NAME } from '../constants.js';
import { startDevtoolsPanel, type DevtoolsPanel } from '../devtools-panel.js';
import { electronRunnerFor } from '../electron-runners.js';
import { parseMainArgs } from '../main-args.js';
import { QuitSequence } from '../quit-sequence.js';
import { RendererPorts } from '../renderer-ports.js';
import { ptyNode } from '../pty-node.js';
import { registerAppScheme, serveAppProtocol } from './app-protocol-handler.js';
import { createMainChannel, createMainWindow, guardSession, guardWebContents } from './main-window.js';

// Defined by Electron Forge's Vite plugin for the renderer named `main_window` in forge.config.ts.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string | undefined;
// Defined by app/vite.main.config.ts from the build's TETHER_RUN_AS_NODE (../run-as-node.ts): the fuse.
declare const __TETHER_RUN_AS_NODE__: boolean | undefined;

/** Starts the app. Call once, from the main script, before the app is ready. */
export function runElectronApp(): void {
  const { dataFolder } = parseMainArgs(process.argv);
  // Before the lock: the lock is per user-data folder, so another --data is another app. Without --data,
  // the folder `npm start`'s browser mode and the tether CLI use (on Linux ~/.local/share/tether, where
  // Electron's own default would be ~/.config/tether): one app, one set of installed extensions.
  app.setPath('userData', dataFolder ?? defaultDataFolder(APP_NAME));
  if (!app.requestSingleInstanceLock()) {
    say('the app is running already; its window is brought to the front.');
    app.exit(0);
    return;
  }
  registerAppScheme();
  app.enableSandbox();

  const layout = appLayout({
    mainFolder: path.dirname(fileURLToPath(import.meta.url)),
    appPath: app.getAppPath(),
    isPackaged: app.isPackaged,
    devServerUrl:
      typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'undefined' ? undefined : MAIN_WINDOW_VITE_DEV_SERVER_URL,
    rendererName: typeof MAIN_WINDOW_VITE_NAME === 'undefined' ? undefined : MAIN_WINDOW_VITE_NAME,
  });
  const origins = trustedOrigins(layout.renderer.kind === 'dev-server' ? layout.renderer.url : undefined);
  let host: AppHost | undefined;
  const refused = (what: string): void => {
    const message = `Refused ${what}: the app's pages may only show the app's own UI (docs/security.md, "The Electron app").`;
    say(message);
    host?.manager.logStore.append(MANAGER_LOG_NAME, {
      time: Date.now(),
      level: 'warn',
      scope: 'tether.app.security',
      message,
    });
  };
  let ports: RendererPorts<MessagePortMain> | undefined;
  let window: BrowserWindow | undefined;
  let panel: DevtoolsPanel | undefined;

  const ready = (async () => {
    await app.whenReady();
    guardSession(session.defaultSession, origins, refused);
    if (layout.renderer.kind === 'bundle') await serveAppProtocol(layout.renderer.folder);
    host = await AppHost.start({
      dataFolder: app.getPath('userData'),
      logsFolder: app.getPath('logs'),
      runnerFor: electronRunnerFor({
        utility: createUtilityRunner(),
        pty: new PtyRunner({
          node: ptyNode(typeof __TETHER_RUN_AS_NODE__ === 'boolean' && __TETHER_RUN_AS_NODE__),
        }),
      }),
      samplesFolder: layout.samplesFolder,
      print: (line) => write(process.stdout, line),
      printError: (line) => write(process.stderr, line),
    });
    say(`data folder ${app.getPath('userData')}; logs in ${app.getPath('logs')}.`);
    return host;
  })();

  const quit = new QuitSequence({
    hideWindows: () => {
      for (const each of BrowserWindow.getAllWindows()) each.hide();
    },
    stop: async () => {
      ports?.dispose();
      const started = await ready.catch(() => undefined);
      return started === undefined ? 0 : started.stop([async () => panel?.dispose()]);
    },
    exit: (status) => app.exit(status),
    say,
  });
  app.on('before-quit', quit.onBeforeQuit);
  signalOnStop(MAIN_NAME).addEventListener('abort', () => app.quit(), { once: true });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, origins, refused));
  app.on('second-instance', () => {
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  // The extensions belong to the window: closing it quits, on macOS too.
  app.on('window-all-closed', () => app.quit());

  ready
    .then((started) => {
      if (quit.state !== 'running') return undefined;
      ports = new RendererPorts([managerApiBinding(started.manager)], createMainChannel, {
        onDidFail: (error) => say(`the window's connection failed: ${error.message}`),
      });
      window = createMainWindow({ layout, origins, ports, version: app.getVersion(), refused, say });
      if (!app.isPackaged) {
        void openDevtoolsPanel(started, app.getAppPath()).then((opened) => {
          if (quit.state === 'running') panel = opened;
          else void opened?.dispose();
        });
      }
      return started.installSamples();
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      say(`could not start: ${message}`);
      dialog.showErrorBox('Tether could not start', message);
      app.exit(1);
    });
}

/**
 * The Tether panel in the app's DevTools (development builds): the UI bundle built if stale, as `npm start`
 * builds it, then ../devtools-panel.ts. Never rejects: without it the app still runs.
 */
async function openDevtoolsPanel(host: AppHost, appPath: string): Promise<DevtoolsPanel | undefined> {
  try {
    // Loaded only here: building the bundle needs Vite, which a packaged app does not ship.
    const { ensureUiBundle } = await import('../../host/ui-bundle.js');
    const bundle = await ensureUiBundle(
      { appFolder: path.join(appPath, 'app'), repositoryRoot: appPath },
      say,
    );
    const panel = await startDevtoolsPanel({
      manager: host.manager,
      bundle,
      loadExtension: (folder) => session.defaultSession.extensions.loadExtension(folder),
    });
    say(
      `the Tether panel is in the app's DevTools (its web host: port ${new URL(panel.url).port} on 127.0.0.1).`,
    );
    return panel;
  } catch (error) {
    say(`no Tether panel in the app's DevTools: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function say(line: string): void {
  write(process.stderr, `${new Date().toTimeString().slice(0, 8)} ${MAIN_NAME}: ${line}`);
}

/** Writes a line; a closed stream (no terminal) is not an error. */
function write(stream: NodeJS.WritableStream, line: string): void {
  try {
    stream.write(`${line}\n`);
  } catch {
    // No console to write to (a packaged app started from a desktop): the log files have the records.
  }
}
