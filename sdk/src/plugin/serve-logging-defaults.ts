// What `serve()` does with a plugin's console and fatal errors when the plugin's options do not say.
import type { PluginLoggingOptions } from '../logging/plugin-logging.js';

/** The part of a stream the decision looks at (`process.stdout`). */
export interface TerminalProbe {
  readonly isTTY?: boolean | undefined;
}

/**
 * The logging defaults of a plugin process, given its stdout. Normally the console becomes log records (the
 * host shows them in its log panel). When stdout is a terminal — the plugin runs in a pty (the host's pty
 * runner, or a CLI passing its own terminal through) — the console belongs to the user looking at that
 * terminal, so it is left alone: `console.log` prints there, as it would in any CLI. Records from `log` and
 * `createLogger` still go to the host either way, and fatal errors are handled either way.
 * Explicit `ServeOptions.logging` fields win over these.
 */
export function defaultServeLogging(stdout: TerminalProbe): PluginLoggingOptions {
  return { captureConsole: stdout.isTTY !== true, handleFatalErrors: true };
}
