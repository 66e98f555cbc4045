// The standard WebSocket interface, as much of it as WebSocketTransport uses: a browser's `WebSocket` and the
// ws package's (v8) both satisfy it, so the same transport runs in a page and in Node.

/** `readyState` values of the standard interface. */
export const WebSocketState = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

/** What a `'close'` event carries (a browser's `CloseEvent`, ws's). */
export interface WebSocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  /** Bytes in an ArrayBuffer (a browser cannot send from a SharedArrayBuffer). */
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: WebSocketCloseEventLike) => void): void;
  /** `'error'` gives a browser's plain `Event` (no detail), or ws's `ErrorEvent` with `message` and `error`. */
  addEventListener(type: 'open' | 'error', listener: (event: unknown) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'close', listener: (event: WebSocketCloseEventLike) => void): void;
  removeEventListener(type: 'open' | 'error', listener: (event: unknown) => void): void;
}

/** A WebSocket class: a browser's `WebSocket`, or `WebSocket` from the ws package. */
export type WebSocketConstructor = new (url: string | URL) => WebSocketLike;

/** What an `'error'` event says, if anything: ws's `ErrorEvent` has a message; a browser's event has none. */
export function errorEventDetail(event: unknown): string | undefined {
  if (event instanceof Error) return event.message;
  const message = (event as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message !== '') return message;
  const error = (event as { error?: unknown } | undefined)?.error;
  return error instanceof Error ? error.message : undefined;
}
