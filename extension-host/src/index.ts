// @tether/extension-host — what an app embeds to run plugins: the client, the runners, manifests, the
// manager, install and signing, logs. Other entries: ./electron (the utility-process runner), ./web (the
// UI's web host), ./cli (the CLI's terminal building blocks), ./manager-api (the UI's contract alone).
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
