export {
  defineService,
  type ServiceDefinition,
  type ServiceSpec,
  type MethodOptions,
  type MethodKeys,
  type EventKeys,
} from './service.js';
export type {
  Remote,
  RemoteFunction,
  RemoteResult,
  LocalArg,
  LocalArgs,
  CallOptions,
} from './remote-types.js';
export { proxy, isProxyMarked, type ProxyMarked } from './proxy-marker.js';
export { withCallOptions, releaseRemote } from './remote-factory.js';
export { currentCall, type CallContext } from './call-context.js';
export { RemoteError } from './remote-error.js';
export { RpcPeer, type RpcPeerStats } from './rpc-peer.js';
export { connectRpc, type ConnectRpcOptions } from './connect-rpc.js';
export { createLoopbackPeers } from './loopback-peers.js';
export type { RpcPeerOptions, RpcTrace } from './rpc-options.js';
export { Broker } from './broker.js';
export { ChannelEndpoint } from './comlink-endpoint.js';
