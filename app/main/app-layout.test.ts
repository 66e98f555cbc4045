// Where the Electron app's parts are, in development and packaged.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appLayout } from './app-layout.js';

const built = {
  mainFolder: '/repo/.vite/build',
  appPath: '/repo',
  rendererName: 'main_window',
};

describe('appLayout', () => {
  it('uses the dev server during electron-forge start, and the repository’s samples', () => {
    const layout = appLayout({ ...built, isPackaged: false, devServerUrl: 'http://localhost:5173' });
    expect(layout.renderer).toEqual({ kind: 'dev-server', url: 'http://localhost:5173' });
    expect(layout.preload).toBe(path.join('/repo/.vite/build', 'preload.js'));
    expect(layout.samplesFolder).toBe(path.join('/repo', 'sample-extensions'));
  });

  it('serves the built renderer as app:// when packaged, never a dev server, and has no samples', () => {
    const layout = appLayout({
      ...built,
      mainFolder: '/opt/Tether/resources/app.asar/.vite/build',
      appPath: '/opt/Tether/resources/app.asar',
      isPackaged: true,
      devServerUrl: 'http://localhost:5173',
    });
    expect(layout.renderer).toEqual({
      kind: 'bundle',
      folder: path.join('/opt/Tether/resources/app.asar/.vite/renderer/main_window'),
    });
    expect(layout.samplesFolder).toBeUndefined();
  });

  it('falls back to the app’s own build (app/renderer/dist) without Forge’s renderer', () => {
    const layout = appLayout({
      ...built,
      isPackaged: false,
      devServerUrl: undefined,
      rendererName: undefined,
    });
    expect(layout.renderer).toEqual({ kind: 'bundle', folder: path.join('/repo/app/renderer/dist') });
  });
});
