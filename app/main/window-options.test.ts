// The main window's webPreferences: Electron's checklist items 2, 3, 4, 6, 8, 9, 10 and 11, spelled out.
import { describe, expect, it } from 'vitest';
import { appVersionFromArgv } from '../preload/tether-bridge.js';
import { mainWindowOptions } from './window-options.js';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({ preload: '/app/.vite/build/preload.js', version: '1.2.3' });
  const web = options.webPreferences!;

  it('isolates the page: context isolation, the sandbox, no Node.js anywhere in the renderer', () => {
    expect(web).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and adds no features or tags', () => {
    expect(web).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(web.enableBlinkFeatures).toBeUndefined();
    expect(web.disableBlinkFeatures).toBeUndefined();
    expect(web.partition).toBeUndefined();
  });

  it('loads the preload and tells it the version through the command line', () => {
    expect(web.preload).toBe('/app/.vite/build/preload.js');
    expect(appVersionFromArgv(web.additionalArguments ?? [])).toBe('1.2.3');
    expect(options.show).toBe(false);
  });
});
