// Opening a WebSocket (the client side of WebSocketTransport.connect), with errors that say why it failed.
import { setDeadlineTimer } from '../common/timers.js';
import { WEBSOCKET_CONNECT_TIMEOUT_MS } from '../constants.js';
import { AbortedError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import {
  WebSocketState,
  errorEventDetail,
  type WebSocketCloseEventLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket-like.js';

export interface WebSocketOpenOptions {
  /** The WebSocket class; default `globalThis.WebSocket` (a browser's; Node has one from version 22). */
  readonly WebSocket?: WebSocketConstructor;
  /** How long to wait for the WebSocket to open (ms); default {@link WEBSOCKET_CONNECT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Gives up connecting (rejects with `ABORTED`). */
  readonly signal?: AbortSignal;
}

/**
 * Opens a WebSocket to `url` with `binaryType` 'arraybuffer' and resolves with `adopt(socket)`, called in
 * its 'open' event (so nothing that arrives after it can be missed).
 * @throws TetherError INVALID_OPTIONS (no WebSocket class, bad URL or timeout), TIMEOUT, AUTH_FAILED (the
 *   upgrade was refused with 401 or 403), TRANSPORT_ERROR (any other failure), ABORTED (`signal`).
 */
export function openWebSocket<T>(
  url: string | URL,
  options: WebSocketOpenOptions,
  adopt: (socket: WebSocketLike) => T,
): Promise<T> {
  const where = redact(url);
  const Implementation = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Implementation === undefined) {
    return Promise.reject(
      new TetherError(
        'INVALID_OPTIONS',
        "This runtime has no WebSocket (Node has one from version 22): pass one, as in WebSocketTransport.connect(url, { WebSocket }) with WebSocket from the 'ws' package.",
      ),
    );
  }
  const timeoutMs = options.timeoutMs ?? WEBSOCKET_CONNECT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    return Promise.reject(
      new TetherError(
        'INVALID_OPTIONS',
        `timeoutMs must be a number of milliseconds > 0, got ${String(timeoutMs)}.`,
      ),
    );
  }
  const signal = options.signal;
  if (signal?.aborted === true) {
    return Promise.reject(new AbortedError(`Connecting to ${where} was aborted.`, { cause: signal.reason }));
  }
  return new Promise<T>((resolve, reject) => {
    let socket: WebSocketLike;
    try {
      socket = new Implementation(url);
    } catch (error) {
      reject(
        new TetherError(
          'INVALID_OPTIONS',
          `Cannot open a WebSocket to ${where}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      );
      return;
    }
    socket.binaryType = 'arraybuffer';
    let failure: unknown;
    const timer = setDeadlineTimer(() => {
      giveUp(
        new TetherError(
          'TIMEOUT',
          `The WebSocket to ${where} did not open within ${timeoutMs} ms: check that the host is running and reachable.`,
        ),
      );
    }, timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('error', onError);
      socket.removeEventListener('close', onClose);
    };
    const giveUp = (error: Error): void => {
      settle();
      // Closing a socket that is still connecting makes ws emit 'error', which throws if nobody listens.
      socket.addEventListener('error', ignore);
      if (socket.readyState < WebSocketState.CLOSING) socket.close();
      reject(error);
    };
    const onOpen = (): void => {
      settle();
      try {
        resolve(adopt(socket));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onError = (event: unknown): void => {
      failure = event; // 'close' follows, with the code
    };
    const onClose = (event: WebSocketCloseEventLike): void => {
      settle();
      reject(refusal(where, event, failure));
    };
    const onAbort = (): void => {
      giveUp(new AbortedError(`Connecting to ${where} was aborted.`, { cause: signal?.reason }));
    };
    socket.addEventListener('open', onOpen);
    socket.addEventListener('error', onError);
    socket.addEventListener('close', onClose);
    signal?.addEventListener('abort', onAbort);
  });
}

function ignore(): void {}

/** Why a WebSocket did not open. ws says which HTTP status refused the upgrade; a browser never does. */
function refusal(where: string, event: WebSocketCloseEventLike, failure: unknown): TetherError {
  const detail = errorEventDetail(failure);
  const cause = failure === undefined ? undefined : { cause: failure };
  const status = /Unexpected server response: (\d{3})/.exec(detail ?? '')?.[1];
  if (status === '401' || status === '403') {
    return new TetherError(
      'AUTH_FAILED',
      `The server at ${where} refused the WebSocket (HTTP ${status}): it did not accept the token, or the origin of the page. Use the URL the server gave (with its token), from a page of an origin it allows.`,
      cause,
    );
  }
  if (status !== undefined) {
    return new TetherError(
      'TRANSPORT_ERROR',
      `The server at ${where} answered HTTP ${status} instead of accepting the WebSocket: check the URL and its path.`,
      cause,
    );
  }
  return new TetherError(
    'TRANSPORT_ERROR',
    `Could not open a WebSocket to ${where} (code ${event.code}${detail === undefined ? '' : `: ${detail}`}): check that the host is running and the URL is right. A browser does not say why a server refused, so a wrong token or origin looks the same.`,
    cause,
  );
}

/** The URL for messages: without its query and fragment, which may hold a token. */
function redact(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return String(url).split(/[?#]/)[0]!;
  }
}
