// @tether/sdk/wire — the wire layer's building blocks: transports, the mux, the value codec and the RPC peer.
// Both sides of a connection use these; plugin authors normally need only '@tether/sdk'. This entry is for
// Node ('@tether/sdk/common' is the part that runs anywhere): it installs Node's streams.
import './rpc/node/node-streams.js';
export {
  PROTOCOL_VERSION,
  SDK_VERSION,
  LOGS_CHANNEL_LABEL,
  PLUGIN_SECRET_ENV,
  CORE_PROTOCOL_ENV,
  PLUGIN_NAME_ENV,
} from './constants.js';
export type { Transport, TransportCloseEvent } from './transport/transport.js';
export { createMemoryTransportPair } from './transport/memory-transport.js';
export { StreamTransport, type StreamTransportOptions } from './transport/node/stream-transport.js';
export {
  connectUnixSocket,
  listenUnixSocket,
  type UnixSocketListener,
} from './transport/node/unix-socket.js';
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
export { ValueCodec, extensionMarker, type ValueCodecOptions, type DecodeOptions } from './codec/index.js';
export {
  RpcPeer,
  connectRpc,
  createLoopbackPeers,
  Broker,
  ChannelEndpoint,
  type RpcPeerStats,
  type RpcPeerOptions,
  type RpcTrace,
  type ConnectRpcOptions,
} from './rpc/index.js';
export { ChannelDuplex } from './rpc/node/channel-duplex.js';
// For callers that build a Remote<T> over their own call path (the extension manager's lazy remotes).
export { createServiceRemote, type RemoteOwner } from './rpc/remote-factory.js';
export {
  performHostHandshake,
  servePlugin,
  processEnvironment,
  isAlive as isProcessAlive,
  negotiateVersion,
  HANDSHAKE_CHANNEL_LABEL,
  HOST_PID_ENV,
  SOCKET_ENV,
  NOT_STARTED_MESSAGE,
  encodeHandshakeMessage,
  parseHandshakeMessage,
  helloVersions,
  type HostHandshakeOptions,
  type HandshakeResult,
  type HostControl,
  type PluginEnvironment,
  type HandshakeMessage,
  type HandshakeMessageType,
  type HelloMessage,
  type WelcomeMessage,
  type RejectMessage,
  type RejectCode,
  type ReadyMessage,
  type StopMessage,
} from './plugin/index.js';
export {
  LogShipper,
  encodeLogBatch,
  decodeLogBatch,
  encodeLogRecord,
  assembleLogBatch,
  formatLogLine,
  setLogSink,
  stderrSink,
  captureConsole,
  installFatalHandlers,
  startPluginLogging,
  type LogShipperOptions,
  type LogShipperStats,
  type LogSink,
  type LogRecordError,
  type ConsoleCaptureOptions,
  type FatalHandlerOptions,
  type PluginLogging,
  type PluginLoggingContext,
} from './logging/index.js';
