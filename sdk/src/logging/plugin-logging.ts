// Logging of a served plugin: the `tether.logs` channel, the root logger, console capture and fatal handlers.
import type { Disposable } from '../common/disposable.js';
import { DisposableStore } from '../common/disposable.js';
import { LOGS_CHANNEL_LABEL } from '../constants.js';
import type { MuxSession } from '../mux/mux-session.js';
import { captureConsole } from './console-capture.js';
import { installFatalHandlers } from './fatal-handlers.js';
import { LogShipper, type LogShipperOptions } from './log-shipper.js';
import { createLogger, setLogSink, type Logger, type LogSink } from './logger.js';

/** How a served plugin logs (`ServeOptions.logging`). */
export interface PluginLoggingOptions extends LogShipperOptions {
  /**
   * Turn `console.log/info/debug/trace/warn/error` into records (scope "console") while serving. Default true
   * under `serve()` (a plugin process) unless its stdout is a terminal (a pty: the console is the user's
   * there), false under `servePlugin()` (in-process, e.g. tests).
   */
  readonly captureConsole?: boolean;
  /** Also let captured console calls write to stdout/stderr as usual. Default false. */
  readonly mirrorConsole?: boolean;
  /**
   * Log uncaught exceptions and unhandled rejections with their stack, flush them to the host and exit 1.
   * Default true under `serve()`, false under `servePlugin()`.
   */
  readonly handleFatalErrors?: boolean;
}

export interface PluginLogging extends Disposable {
  /** The plugin's root logger (records go to this connection). */
  readonly log: Logger;
  readonly shipper: LogShipper;
  /** Hands buffered records to the channel now (before a stop or a crash exit). */
  flush(): void;
}

export interface PluginLoggingContext {
  readonly writeStderr: (text: string) => void;
  /** Exits the process (after a fatal error, with 1). */
  readonly exit: (code: number) => void;
}

/**
 * Opens `tether.logs` on `session` and routes records to it: this plugin's root logger, the global `log`
 * (until disposed) and, when enabled, the console and fatal errors. Dispose flushes, restores the console,
 * removes the handlers and ends the channel.
 */
export function startPluginLogging(
  session: MuxSession,
  options: PluginLoggingOptions,
  context: PluginLoggingContext,
): PluginLogging {
  const store = new DisposableStore();
  const channel = session.openChannel(LOGS_CHANNEL_LABEL);
  const shipper = new LogShipper(channel, options);
  const sink: LogSink = (record) => shipper.write(record);
  // Last added, first disposed: the channel ends after the shipper's final flush.
  store.add({
    dispose: () => {
      if (channel.writable) channel.end();
    },
  });
  store.add(shipper);
  store.add(setLogSink(sink));
  if (options.captureConsole === true) {
    store.add(captureConsole(sink, { mirror: options.mirrorConsole ?? false }));
  }
  if (options.handleFatalErrors === true) {
    store.add(
      installFatalHandlers({
        sink,
        flush: () => shipper.flushNow(),
        writeStderr: context.writeStderr,
        exit: context.exit,
      }),
    );
  }
  return {
    log: createLogger('', sink),
    shipper,
    flush: () => shipper.flushNow(),
    dispose: () => store.dispose(),
  };
}
