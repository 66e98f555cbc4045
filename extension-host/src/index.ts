// @tether/extension-host — what an app embeds to run plugins: the client, the runners, manifests.
export { PluginClient, type PluginState, type PluginExit, type PluginCrash } from './client/plugin-client.js';
export type { PluginClientOptions } from './client/plugin-client-options.js';
export { stopAllClients } from './client/client-registry.js';
export { startExtension, type StartExtensionOptions } from './client/start-extension.js';
export { typeScriptNodeArgs } from './process/typescript-node-args.js';
export { hostNode, nodeFromPath, type NodeCommand, type NodeCommandSource } from './process/node-command.js';
export * from './runner/index.js';
// The pty runner: a plugin in a pseudo-terminal (node-pty), RPC on the side channel, a terminal handle.
export { PtyRunner, hasTerminal, type LaunchedTerminalPlugin } from './runner/pty-runner.js';
export type { PtyRunnerOptions } from './runner/pty-runner-options.js';
export type { TerminalHandle, TerminalSize } from './terminal/terminal-handle.js';
// The tether CLI's terminal passthrough, for any host with a terminal of its own (`tether run` uses it).
export { runInTerminal, type TerminalRunOptions, type TerminalPluginClient } from './cli/run-in-terminal.js';
export { TerminalPassthrough, type TerminalPassthroughOptions } from './cli/terminal-passthrough.js';
// A host in a terminal (`tether host`, `tether dev`, the app's `npm start`): its lines and its end.
export { reportManagerActivity } from './cli/manager-activity.js';
export { shutDownHost } from './cli/host-shutdown.js';
export { signalOnStop, stopRequested } from './cli/stop-signal.js';
// The web host: the app's UI in a browser, ManagerApi over a WebSocket (docs/security.md "Browser mode").
export {
  serveWebUi,
  WebUiServer,
  contentSecurityPolicy,
  responseSecurityHeaders,
  StaticFiles,
  contentTypeOf,
  openBrowser,
  removeBrowserRedirect,
  findBrowserOpener,
  uiBundleFolder,
  type WebUiOptions,
  type WebUiRefusal,
  type StaticFile,
  type StaticFileMiss,
  type OpenBrowserResult,
  type BrowserOpener,
  type NoBrowserReason,
} from './web/index.js';
export * from './manifest/index.js';
export * from './manager/index.js';
export * from './install/index.js';
export * from './logging/index.js';
export {
  DEFAULT_START_TIMEOUT_MS,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_STDERR_TAIL_LINES,
  DEFAULT_LOG_HISTORY_RECORDS,
  DEFAULT_LOG_HISTORY_BYTES,
  DEFAULT_LOG_SUBSCRIBER_QUEUE,
  DEFAULT_LOG_FILE_MAX_BYTES,
  LOG_DIR_ENV,
  DEFAULT_TERMINAL_COLS,
  DEFAULT_TERMINAL_ROWS,
  DEFAULT_TERMINAL_BACKLOG_BYTES,
  MAX_TERMINAL_CELLS,
} from './constants.js';
// The Electron utility-process runner without its Electron binding (loads in plain Node); in the Electron
// main process use `createUtilityRunner()` from './electron/utility-runner-main.js'.
export { UtilityRunner, type UtilityFork } from './electron/utility-runner.js';
