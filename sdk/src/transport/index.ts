// The transports that run in any JS runtime: byte carriers under the mux. (`Transport` itself and the memory
// pair are exported by `wire.ts` and `common.ts` directly; the Node-only ones are in `node/`.)
export {
  MessagePortTransport,
  type MessagePortLike,
  type MessagePortTransportOptions,
} from './message-port-transport.js';
export {
  WebSocketTransport,
  type WebSocketTransportOptions,
  type WebSocketConnectOptions,
} from './websocket-transport.js';
export type { WebSocketLike, WebSocketCloseEventLike, WebSocketConstructor } from './websocket-like.js';
export type { WebSocketOpenOptions } from './websocket-open.js';
