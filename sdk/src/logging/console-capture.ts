// While a plugin is served, `console.*` calls become log records (scope "console") instead of stdout/stderr lines.
import { format } from 'node:util';
import type { Disposable } from '../common/disposable.js';
import { makeLogRecord, type LogSink } from './logger.js';
import type { LogLevel } from './log-record.js';

/** The console methods captured, and the level each one's records get. */
export const capturedConsoleMethods = {
  log: 'info',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  warn: 'warn',
  error: 'error',
} as const satisfies Record<string, LogLevel>;

type CapturedMethod = keyof typeof capturedConsoleMethods;

export interface ConsoleCaptureOptions {
  /**
   * Also write each call to stdout/stderr as the console would (default false: a captured call is only a
   * record, so it is not shown twice when the host mirrors the plugin's stdio).
   */
  readonly mirror?: boolean;
  /** The console to patch (default the global `console`). */
  readonly console?: Console;
}

/**
 * Replaces `console.log/info/debug/trace/warn/error` so that each call becomes one record: scope `"console"`,
 * the level of the method, the message formatted with `util.format` like the console does, and the first
 * Error argument (or, for `console.trace`, the call's stack) attached. Other methods (`dir`, `table`, …)
 * are left alone. Dispose to put the original methods back.
 */
export function captureConsole(sink: LogSink, options: ConsoleCaptureOptions = {}): Disposable {
  const target = options.console ?? console;
  const mirror = options.mirror ?? false;
  const originals = new Map<CapturedMethod, (...args: unknown[]) => void>();
  let busy = false; // a sink that itself uses the console must not loop
  for (const method of Object.keys(capturedConsoleMethods) as CapturedMethod[]) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `target` as `this` below
    const original = target[method] as (...args: unknown[]) => void;
    originals.set(method, original);
    const level = capturedConsoleMethods[method];
    target[method] = function capturedConsoleMethod(...args: unknown[]): void {
      if (mirror || busy) original.apply(target, args);
      if (busy) return;
      busy = true;
      try {
        const message = format(...args);
        let error: unknown = args.find((arg) => arg instanceof Error);
        if (error === undefined && method === 'trace') {
          const trace = new Error(message);
          trace.name = 'Trace';
          Error.captureStackTrace(trace, capturedConsoleMethod);
          error = trace;
        }
        sink(makeLogRecord(level, 'console', message, error === undefined ? undefined : { error }));
      } catch {
        // Logging never throws at the caller.
      } finally {
        busy = false;
      }
    };
  }
  let restored = false;
  return {
    dispose() {
      if (restored) return;
      restored = true;
      for (const [method, original] of originals) target[method] = original;
    },
  };
}
