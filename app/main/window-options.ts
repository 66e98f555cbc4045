// The main window's options: Electron's secure defaults spelled out (so a change of default, or of this
// file, shows in a test), the preload, and the app's version for it.
import type { BrowserWindowConstructorOptions } from 'electron';
import { VERSION_ARGUMENT } from '../preload/tether-bridge.js';
import { MAIN_WINDOW_MIN_SIZE, MAIN_WINDOW_SIZE } from './constants.js';

export interface MainWindowOptionsInput {
  /** The built preload script (absolute path). */
  readonly preload: string;
  /** The app's version, for `window.tether.version`. */
  readonly version: string;
}

/**
 * The BrowserWindow's options. `webPreferences` follows Electron's security checklist: context isolation
 * (3), the renderer sandbox (4), no Node.js in the renderer, its workers or its subframes (2), web security
 * on (6), no insecure content (8), no experimental or extra Blink features (9, 10), no `<webview>` (11, 12).
 * The window is shown once its page has rendered (`ready-to-show`), so it never flashes blank.
 */
export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...MAIN_WINDOW_SIZE,
    minWidth: MAIN_WINDOW_MIN_SIZE.width,
    minHeight: MAIN_WINDOW_MIN_SIZE.height,
    title: 'Tether',
    show: false,
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A file dropped outside the UI's drop zone must not replace the page (the UI takes dropped packages).
      navigateOnDragDrop: false,
      spellcheck: false,
      // A sandboxed preload has process.argv, not app.getVersion().
      additionalArguments: [`${VERSION_ARGUMENT}${input.version}`],
    },
  };
}
