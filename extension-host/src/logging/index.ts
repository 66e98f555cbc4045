// The host's logging: the in-memory store (history, query, live subscriptions), intake, and log files.
export {
  LogStore,
  type LogStoreOptions,
  type LogQuery,
  type LogPage,
  type RpcTraceRecord,
  type LogStoreSink,
} from './log-store.js';
export { defaultLogStore } from './default-log-store.js';
export type { LogFilter } from './log-filter.js';
export type { LogListener } from './log-subscription.js';
export {
  logLevels,
  logLevelRank,
  isLogLevel,
  type LogLevel,
  type LogRecord,
  type LogRecordError,
  type HostLogRecord,
} from './log-record.js';
export type { LogSink } from './log-sink.js';
export { FileLogSink, type FileLogSinkOptions } from './file-log-sink.js';
export { ElectronLogSink, type ElectronLogSinkOptions } from './electron-log-sink.js';
export { formatLogLine, logFileName } from './format-log-line.js';
export { defaultLogDir } from './default-log-dir.js';
