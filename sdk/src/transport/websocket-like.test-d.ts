// Type tests: the same WebSocketTransport takes a browser's WebSocket and the ws package's.
import { describe, expectTypeOf, it } from 'vitest';
import type { WebSocket as WsWebSocket } from 'ws';
import type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';

describe('WebSocketLike', () => {
  it("is satisfied by a browser's WebSocket (the DOM's)", () => {
    expectTypeOf<WebSocket>().toExtend<WebSocketLike>();
    expectTypeOf<typeof WebSocket>().toExtend<WebSocketConstructor>();
  });

  it("is satisfied by the ws package's WebSocket", () => {
    expectTypeOf<WsWebSocket>().toExtend<WebSocketLike>();
    expectTypeOf<typeof WsWebSocket>().toExtend<WebSocketConstructor>();
  });

  it('is not satisfied by a socket without the standard events', () => {
    expectTypeOf<{ send(data: Uint8Array): void }>().not.toExtend<WebSocketLike>();
  });
});
