// @tether/sdk — what a plugin author imports: contracts, proxies, errors and events.
// Wire internals (transports, mux, codec, the RPC peer) live in '@tether/sdk/wire'; what runs in any JS
// runtime (a browser too) is '@tether/sdk/common'. This entry is for Node: it installs Node's streams.
import './rpc/node/node-streams.js';
export * from './errors/index.js';
export type { Disposable } from './common/disposable.js';
export { DisposableStore, toDisposable } from './common/disposable.js';
export { Emitter, type Event } from './common/event.js';
export {
  defineService,
  proxy,
  isProxyMarked,
  withCallOptions,
  releaseRemote,
  currentCall,
  RemoteError,
  type ServiceDefinition,
  type ServiceSpec,
  type MethodOptions,
  type MethodKeys,
  type EventKeys,
  type Remote,
  type RemoteFunction,
  type RemoteResult,
  type LocalArg,
  type LocalArgs,
  type CallOptions,
  type CallContext,
  type ProxyMarked,
} from './rpc/index.js';
export { transfer } from './codec/transfer.js';
export {
  serve,
  implement,
  type ServeOptions,
  type PluginContext,
  type ServicesFactory,
  type ServeHandle,
  type ServiceBinding,
  type HandshakeConfig,
  commandService,
  isValidCommandId,
  type CommandService,
  type CommandHandler,
  type CommandHandlers,
} from './plugin/index.js';
export { COMMAND_SERVICE_NAME, MAX_COMMAND_ID_LENGTH } from './constants.js';
export {
  log,
  createLogger,
  logLevels,
  logLevelRank,
  type Logger,
  type LogFields,
  type LogMethod,
  type LogSink,
  type LogShipperOptions,
  type LogRecord,
  type LogLevel,
  type PluginLoggingOptions,
} from './logging/index.js';
