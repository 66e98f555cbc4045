// @tether/extension-host/cli — building blocks of the tether CLI for a host of your own that runs in a
// terminal: pass a pty plugin's terminal through to the user's, report the manager's activity as lines,
// stop on SIGINT/SIGTERM and shut down in order.
export { runInTerminal, type TerminalRunOptions, type TerminalPluginClient } from './run-in-terminal.js';
export { TerminalPassthrough, type TerminalPassthroughOptions } from './terminal-passthrough.js';
export { reportManagerActivity } from './manager-activity.js';
export { shutDownHost } from './host-shutdown.js';
export { signalOnStop, stopRequested } from './stop-signal.js';
