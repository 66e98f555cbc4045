// The contract between the Electron app's three parts, declared once: the main process, the preload and the
// page. The page gets `window.tether` (this file's `TetherBridge`) and nothing else from Electron; through it
// it asks for a MessagePort, which arrives as a `window` message, as Electron's "MessagePorts in Electron"
// guide passes a port from the preload's isolated world to the page's main world. Everything past that
// port is the same Tether RPC as the browser mode's WebSocket. No value here imports anything: the page's
// bundle and the sandboxed preload both include this file.

/** The IPC channel the preload asks the main process for a port on (`ipcRenderer.send`, no arguments). */
export const REQUEST_PORT_CHANNEL = 'tether:request-port';

/**
 * The name of the port's delivery, twice: the IPC channel the main process posts the port on
 * (`webContents.postMessage`), and the data of the `window` message the preload forwards it with.
 */
export const PORT_MESSAGE = 'tether:port';

/** The name of the page's global: `window.tether`. */
export const BRIDGE_GLOBAL = 'tether';

/**
 * The argument the main process adds to the renderer's command line (`webPreferences.additionalArguments`)
 * to tell the preload the app's version: a sandboxed preload has `process.argv`, not `app.getVersion()`.
 */
export const VERSION_ARGUMENT = '--tether-app-version=';

/** What the preload exposes to the page as `window.tether`: a version and the port hand-off, nothing more. */
export interface TetherBridge {
  /** The app's version (its package.json's). */
  readonly version: string;
  /**
   * Asks the main process for a new MessagePort carrying `ManagerApi`; it arrives as a `message` event on
   * `window` whose `source` is the window, `data` is {@link PORT_MESSAGE} and `ports[0]` is the port. Each
   * call gives a new port; the main process closes the page's previous one.
   */
  requestPort(): void;
}

/** The app's version from the renderer's command line; `'unknown'` when the main process passed none. */
export function appVersionFromArgv(argv: readonly string[]): string {
  const argument = argv.find((value) => value.startsWith(VERSION_ARGUMENT));
  const version = argument?.slice(VERSION_ARGUMENT.length) ?? '';
  return /^[0-9A-Za-z.+-]{1,64}$/.test(version) ? version : 'unknown';
}

/**
 * The bridge the preload exposes: `send` is `ipcRenderer.send` bound to the request channel. Only plain
 * values and one function cross `contextBridge`; nothing of Electron's reaches the page.
 */
export function createTetherBridge(version: string, send: (channel: string) => void): TetherBridge {
  return Object.freeze({
    version,
    requestPort: (): void => send(REQUEST_PORT_CHANNEL),
  });
}

/** The part of `window` the preload forwards ports (`P`: MessagePort) through. */
export interface PortForwardTarget<P> {
  postMessage(message: unknown, targetOrigin: string, transfer: P[]): void;
}

/**
 * Forwards the ports of a {@link PORT_MESSAGE} IPC message to the page's main world (Electron's documented
 * pattern: `window.postMessage(name, '*', ports)`; the page accepts it only with `source === window`).
 * A delivery without exactly one port is dropped.
 */
export function forwardPort<P>(target: PortForwardTarget<P>, ports: readonly P[]): void {
  if (ports.length !== 1) return;
  target.postMessage(PORT_MESSAGE, '*', [...ports]);
}
