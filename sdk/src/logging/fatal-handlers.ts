// Uncaught exceptions and unhandled rejections: logged with their stack, flushed to the host, then exit 1.
import type { Disposable } from '../common/disposable.js';
import { formatLogLine, makeLogRecord, type LogSink } from './logger.js';

export interface FatalHandlerOptions {
  /** Where the error record goes (the plugin's `tether.logs` shipper). */
  readonly sink: LogSink;
  /** Hands buffered records to the channel synchronously (`LogShipper.flushNow`). */
  readonly flush: () => void;
  /** Writes to stderr: the record as a `[ERROR] …` line with its stack, for a host that only sees stderr. */
  readonly writeStderr: (text: string) => void;
  /** Ends the process with code 1; called from a `setImmediate` so the connection has written the record. */
  readonly exit: (code: number) => void;
  /** The process whose events are handled (default the global `process`). */
  readonly process?: NodeJS.Process;
}

/**
 * Installs `uncaughtException` and `unhandledRejection` handlers: each logs one error record (scope
 * `"process"`, the error with its stack), writes it to stderr as well, flushes the log channel and exits 1
 * from the next `setImmediate` (the mux coalesces its writes in a microtask: exiting at once would lose them).
 * A second fatal error while exiting is only written to stderr. Dispose to remove the handlers.
 */
export function installFatalHandlers(options: FatalHandlerOptions): Disposable {
  const target = options.process ?? process;
  let exiting = false;
  const fatal = (what: string, error: unknown): void => {
    const record = makeLogRecord(
      'error',
      'process',
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
      error instanceof Error ? { error } : { reason: error },
    );
    try {
      options.writeStderr(formatLogLine(record));
    } catch {
      // stderr is gone too; the channel may still work
    }
    if (exiting) return;
    exiting = true;
    try {
      options.sink(record);
      options.flush();
    } catch {
      // best effort: stderr already has it
    }
    setImmediate(() => options.exit(1));
  };
  const onException = (error: unknown): void => fatal('Uncaught exception', error);
  const onRejection = (reason: unknown): void => fatal('Unhandled promise rejection', reason);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}
