// @tether/sdk/common — the part of the sdk that runs in any JS runtime (a browser, a worker, Node): errors,
// events, contracts and remotes, and the wire layer (transports, mux, codec, RPC peer). It imports no `node:*`
// module (eslint.config.js keeps it so, sdk/src/browser-bundle.test.ts checks a browser bundle of it).
// In Node, '@tether/sdk' and '@tether/sdk/wire' add what needs Node: serve(), Unix sockets, stream
// transports, Node Readables in calls and the broker's Duplex channels (rpc/node-stream-adapter.ts).
export {
  PROTOCOL_VERSION,
  SDK_VERSION,
  LOGS_CHANNEL_LABEL,
  COMMAND_SERVICE_NAME,
  MAX_COMMAND_ID_LENGTH,
} from './constants.js';
export {
  errorCodes,
  isTetherErrorCode,
  type TetherErrorCode,
  TetherError,
  isTetherError,
  type TetherErrorOptions,
  FramingError,
  ConnectionClosedError,
  ChannelClosedError,
  SerializationError,
  RpcTimeoutError,
  AbortedError,
} from './errors/index.js';
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
  RpcPeer,
  connectRpc,
  createLoopbackPeers,
  ChannelEndpoint,
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
  type RpcPeerStats,
  type RpcPeerOptions,
  type RpcTrace,
  type ConnectRpcOptions,
} from './rpc/index.js';
// For callers that build a Remote<T> over their own call path.
export { createServiceRemote, type RemoteOwner } from './rpc/remote-factory.js';
export { implement, type ServiceBinding } from './plugin/service-binding.js';
export { logLevels, logLevelRank, type LogLevel, type LogRecord } from './logging/log-record.js';
export type { Transport, TransportCloseEvent } from './transport/transport.js';
export { createMemoryTransportPair } from './transport/memory-transport.js';
export {
  MessagePortTransport,
  WebSocketTransport,
  type MessagePortLike,
  type MessagePortTransportOptions,
  type WebSocketLike,
  type WebSocketCloseEventLike,
  type WebSocketConstructor,
  type WebSocketTransportOptions,
  type WebSocketConnectOptions,
  type WebSocketOpenOptions,
} from './transport/index.js';
export type { MuxChannel, MuxCloseEvent, MuxRole, MuxSessionOptions } from './mux/mux-types.js';
export { MuxSession } from './mux/mux-session.js';
export type { CodecHooks, HookValue } from './codec/codec-types.js';
export {
  ValueCodec,
  extensionMarker,
  transfer,
  type ValueCodecOptions,
  type DecodeOptions,
} from './codec/index.js';
