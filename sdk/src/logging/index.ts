// Logging: the SDK logger, console capture, fatal-error handlers and the `tether.logs` channel (protocol.md 5.4).
export { logLevels, logLevelRank, type LogLevel, type LogRecord } from './log-record.js';
export {
  log,
  createLogger,
  setLogSink,
  formatLogLine,
  makeLogRecord,
  stderrSink,
  type Logger,
  type LogFields,
  type LogMethod,
  type LogSink,
} from './logger.js';
export {
  encodeLogBatch,
  decodeLogBatch,
  encodeLogRecord,
  assembleLogBatch,
  capText,
  toLogRecordError,
  type LogRecordError,
} from './log-batch.js';
export { LogShipper, type LogShipperOptions, type LogShipperStats } from './log-shipper.js';
export { captureConsole, capturedConsoleMethods, type ConsoleCaptureOptions } from './console-capture.js';
export { installFatalHandlers, type FatalHandlerOptions } from './fatal-handlers.js';
export {
  startPluginLogging,
  type PluginLogging,
  type PluginLoggingOptions,
  type PluginLoggingContext,
} from './plugin-logging.js';
