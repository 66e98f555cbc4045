// The Tether panel in the Electron app's own DevTools, in development builds (docs/app.md, "The DevTools
// panel"): beside the app, the browser mode's web host on 127.0.0.1 (token, Host and Origin checks), with the
// panel's `chrome-extension://<id>` origin let in; a private copy of the UI bundle that says where that host
// is (app/host/devtools-extension.ts); and that copy loaded as a DevTools extension. A packaged app never
// starts it.
import { type ExtensionHostManager } from '@tether/extension-host';
import { serveWebUi } from '@tether/extension-host/web';
import { devtoolsExtensionOrigin, prepareDevtoolsExtension } from '../host/devtools-extension.js';

export interface DevtoolsPanelOptions {
  readonly manager: ExtensionHostManager;
  /** The built UI bundle, which is also the DevTools extension (its manifest.json). */
  readonly bundle: string;
  /** Loads the unpacked extension: `session.defaultSession.extensions.loadExtension`. */
  readonly loadExtension: (folder: string) => Promise<unknown>;
  /** Where the private copy's folder is made; default the system's temporary folder. */
  readonly parentFolder?: string;
}

/** The running panel: its web host's URL, and how to take it all down again. */
export interface DevtoolsPanel {
  /** The web host's page URL, token included (for tests; the panel reads its connection.json). */
  readonly url: string;
  /** The extension's origin, `chrome-extension://<id>`. */
  readonly origin: string;
  /** Closes the web host and removes the copy. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Starts the panel's web host, prepares its copy of the bundle and loads it.
 * @throws TetherError INVALID_OPTIONS when the bundle is not a built DevTools extension (build the UI:
 *   `npm run build -w app`) or the web host cannot listen; whatever `loadExtension` throws.
 */
export async function startDevtoolsPanel(options: DevtoolsPanelOptions): Promise<DevtoolsPanel> {
  const origin = await devtoolsExtensionOrigin(options.bundle);
  const web = await serveWebUi({
    manager: options.manager,
    staticRoot: options.bundle,
    extraOrigins: [origin],
  });
  let prepared: Awaited<ReturnType<typeof prepareDevtoolsExtension>> | undefined;
  try {
    prepared = await prepareDevtoolsExtension({
      bundle: options.bundle,
      url: web.webSocketUrl,
      token: web.token,
      ...(options.parentFolder === undefined ? {} : { parentFolder: options.parentFolder }),
    });
    await options.loadExtension(prepared.folder);
  } catch (error) {
    await prepared?.dispose();
    await web.close();
    throw error;
  }
  const panel = prepared;
  let disposed: Promise<void> | undefined;
  return {
    url: web.url,
    origin,
    dispose: () => {
      disposed ??= (async () => {
        await web.close();
        await panel.dispose();
      })();
      return disposed;
    },
  };
}
