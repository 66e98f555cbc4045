// The Electron app's preload (sandboxed, context-isolated; bundled by Electron Forge's Vite plugin, since a
// sandboxed preload can `require` only 'electron' and a few Node modules). It exposes `window.tether`: the
// app's version and the port hand-off (tether-bridge.ts), and nothing else — no ipcRenderer, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import {
  BRIDGE_GLOBAL,
  PORT_MESSAGE,
  appVersionFromArgv,
  createTetherBridge,
  forwardPort,
} from './tether-bridge.js';

// The port reaches this isolated world; the page lives in the main world: pass it on with window.postMessage.
ipcRenderer.on(PORT_MESSAGE, (event) => forwardPort(window, event.ports));

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createTetherBridge(appVersionFromArgv(process.argv), (channel) => ipcRenderer.send(channel)),
);
