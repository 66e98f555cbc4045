// Where the Electron app's parts are, as Electron Forge's Vite plugin lays them out (forge.config.ts): the
// built main process and preload in `.vite/build/` (main.js, preload.js), each renderer in
// `.vite/renderer/<name>/`; during `electron-forge start` the renderer is served by Vite's dev server
// instead, whose URL Forge gives the main build as `<NAME>_VITE_DEV_SERVER_URL`.
import path from 'node:path';

export interface AppLayoutInput {
  /** The folder of the running main script (`.vite/build`). */
  readonly mainFolder: string;
  /** `app.getAppPath()`: the repository in development, the package (`app.asar`) when packaged. */
  readonly appPath: string;
  /** `app.isPackaged`. */
  readonly isPackaged: boolean;
  /** `MAIN_WINDOW_VITE_DEV_SERVER_URL`: set by `electron-forge start`. */
  readonly devServerUrl: string | undefined;
  /** `MAIN_WINDOW_VITE_NAME`: the renderer's name in forge.config.ts. */
  readonly rendererName: string | undefined;
}

/** Where the UI comes from: the dev server (development only) or a built bundle served as app://. */
export type RendererSource =
  | { readonly kind: 'dev-server'; readonly url: string }
  | { readonly kind: 'bundle'; readonly folder: string };

export interface AppLayout {
  readonly preload: string;
  readonly renderer: RendererSource;
  /**
   * The sample extensions' sources, installed on the first run on a data folder: the repository's
   * `sample-extensions/` in development; none in a packaged app.
   */
  readonly samplesFolder: string | undefined;
}

export function appLayout(input: AppLayoutInput): AppLayout {
  const devServer = input.isPackaged ? undefined : input.devServerUrl;
  return {
    preload: path.join(input.mainFolder, 'preload.js'),
    renderer:
      devServer !== undefined && devServer !== ''
        ? { kind: 'dev-server', url: devServer }
        : {
            kind: 'bundle',
            folder:
              input.rendererName === undefined
                ? // Without Forge's renderer build: the app's own (npm run build -w app).
                  path.join(input.appPath, 'app', 'renderer', 'dist')
                : path.join(input.mainFolder, '..', 'renderer', input.rendererName),
          },
    samplesFolder: input.isPackaged ? undefined : path.join(input.appPath, 'sample-extensions'),
  };
}
