// The Electron app's main process (forge.config.ts builds it, with Vite, from this file). Everything that
// calls Electron is in electron/; everything else is plain modules beside this one, tested in Node.
import { runElectronApp } from './electron/electron-app.js';

runElectronApp();
