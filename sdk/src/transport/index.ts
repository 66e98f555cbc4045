// The transports: byte carriers under the mux. (`Transport` itself and the memory pair are exported by
// `wire.ts` directly.)
export { StreamTransport, type StreamTransportOptions } from './stream-transport.js';
export { connectUnixSocket, listenUnixSocket, type UnixSocketListener } from './unix-socket.js';
export {
  MessagePortTransport,
  type MessagePortLike,
  type MessagePortTransportOptions,
} from './message-port-transport.js';
