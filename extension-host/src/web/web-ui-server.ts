// The web host: the app's UI in a browser. One HTTP server on 127.0.0.1 serves the UI bundle's files and,
// on `/ws`, a WebSocket per browser tab, each an RPC peer serving `ManagerApi` — the same contract the
// control socket serves the CLI. Only a page of the server's own origin (or of an origin the host names in
// `extraOrigins`, such as the app's DevTools panel) that holds the per-run token gets a WebSocket
// (docs/security.md "Browser mode").
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Emitter, TetherError, type Disposable, type Event, type ServiceBinding } from '@tether/sdk';
import { WebSocketTransport, connectRpc, type RpcPeer } from '@tether/sdk/wire';
import {
  AUDIT_LOG_SCOPE,
  WEB_UI_CLOSE_GRACE_MS,
  WEB_UI_MAX_MESSAGE_BYTES,
  WEB_UI_SOCKET_PATH,
} from '../constants.js';
import { MANAGER_LOG_NAME, type ExtensionHostManager } from '../manager/extension-host-manager.js';
import { managerApiBinding } from '../manager/manager-api-service.js';
import { accessTokenMatches, newAccessToken } from './access-token.js';
import { contentTypeOf } from './content-types.js';
import { checkedExtraOrigins, checkedHost, isAllowedOrigin } from './loopback-request-check.js';
import { securityHeaders } from './security-headers.js';
import { StaticFiles } from './static-files.js';

/** The address the web host listens on: loopback only, never another interface. */
const LISTEN_HOST = '127.0.0.1';

export interface WebUiOptions {
  /** The manager the UIs drive (served to each as `ManagerApi`). */
  readonly manager: ExtensionHostManager;
  /** The UI bundle's folder (its `index.html` is served for `/`). */
  readonly staticRoot: string;
  /** The TCP port on 127.0.0.1; default 0, any free port. */
  readonly port?: number;
  /** The access token; default a new random one (`crypto.randomBytes`, base64url). */
  readonly token?: string;
  /**
   * Origins besides the server's own whose pages may open the WebSocket — they still need the token and the
   * `Host` check. Each is matched exactly, as a browser sends it: `chrome-extension://<id>` for the app's
   * DevTools panel (app/host/devtools-extension.ts). Default none.
   */
  readonly extraOrigins?: readonly string[];
}

/** Why a WebSocket was refused (the upgrade answered 403, or 404 for another path). */
export interface WebUiRefusal {
  readonly reason: 'wrong-path' | 'wrong-host' | 'wrong-origin' | 'wrong-token';
  /** What the request said (the Host or Origin header; never the token). */
  readonly detail: string;
}

/**
 * Serves the UI bundle and `ManagerApi` on `http://127.0.0.1:<port>` (see {@link WebUiServer}).
 * @throws TetherError INVALID_OPTIONS when `staticRoot` is not a folder holding index.html, the token is
 *   empty, an extra origin is not an origin, or the port cannot be listened on (in use, not allowed).
 */
export async function serveWebUi(options: WebUiOptions): Promise<WebUiServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new TetherError('INVALID_OPTIONS', `The web UI port must be 0–65535, got ${String(port)}.`);
  const token = options.token ?? newAccessToken();
  if (typeof token !== 'string' || token.length < 16)
    throw new TetherError('INVALID_OPTIONS', 'The web UI token must be a string of 16 characters or more.');
  const extraOrigins = checkedExtraOrigins(options.extraOrigins);
  const root = await realpath(options.staticRoot).catch(() => undefined);
  const index = root === undefined ? undefined : await stat(`${root}/index.html`).catch(() => undefined);
  if (index?.isFile() !== true) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `${options.staticRoot} holds no UI bundle (no index.html); build the UI first: npm run build -w app.`,
    );
  }
  const server = new WebUiServer(options.manager, new StaticFiles(root!), token, extraOrigins);
  await server.listen(port);
  return server;
}

/**
 * The web host, listening. Every response carries the security headers (security-headers.ts); every request
 * must name the host it is for (`Host: 127.0.0.1:<port>` or `localhost:<port>`, else 421); the WebSocket on
 * `/ws` also needs the page's own `Origin` (or an extra origin it was given) and the token (`?token=`,
 * compared in constant time), else 403 and nothing reaches the manager. `close()` stops listening and disconnects every UI.
 */
export class WebUiServer implements Disposable {
  /** The token a UI must present. */
  readonly token: string;
  readonly #manager: ExtensionHostManager;
  readonly #binding: ServiceBinding;
  readonly #files: StaticFiles;
  readonly #extraOrigins: ReadonlySet<string>;
  readonly #http: Server;
  readonly #sockets: WebSocketServer;
  readonly #peers = new Set<RpcPeer>();
  readonly #onDidRefuse = new Emitter<WebUiRefusal>();
  /** A WebSocket was refused (each is also an audit record of the manager). */
  readonly onDidRefuse: Event<WebUiRefusal> = this.#onDidRefuse.event;
  #port = 0;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link serveWebUi}. */
  constructor(
    manager: ExtensionHostManager,
    files: StaticFiles,
    token: string,
    extraOrigins: ReadonlySet<string> = new Set(),
  ) {
    this.#manager = manager;
    this.#binding = managerApiBinding(manager);
    this.#files = files;
    this.token = token;
    this.#extraOrigins = extraOrigins;
    this.#sockets = new WebSocketServer({
      noServer: true,
      maxPayload: WEB_UI_MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      clientTracking: true,
    });
    this.#http = createServer((request, response) => void this.#handleRequest(request, response));
    this.#http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#handleUpgrade(request, socket, head),
    );
  }

  /** The port it listens on (127.0.0.1). */
  get port(): number {
    return this.#port;
  }

  /** The URL to open: `http://127.0.0.1:<port>/?token=<token>`. */
  get url(): string {
    return `http://${LISTEN_HOST}:${this.#port}/?token=${this.token}`;
  }

  /** The WebSocket's URL without the token: `ws://127.0.0.1:<port>/ws` (a UI adds `?token=<token>`). */
  get webSocketUrl(): string {
    return `ws://${LISTEN_HOST}:${this.#port}${WEB_UI_SOCKET_PATH}`;
  }

  /** UIs connected now. */
  get connections(): number {
    return this.#peers.size;
  }

  /** @internal */
  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          new TetherError(
            'INVALID_OPTIONS',
            error.code === 'EADDRINUSE'
              ? `Port ${port} on ${LISTEN_HOST} is in use; choose another (--port <n>), or --port 0 for any free port.`
              : `The web UI cannot listen on ${LISTEN_HOST}:${port} (${error.code ?? error.message}).`,
            { cause: error },
          ),
        );
      };
      this.#http.once('error', onError);
      this.#http.listen({ host: LISTEN_HOST, port, exclusive: true }, () => {
        this.#http.removeListener('error', onError);
        this.#port = (this.#http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening and disconnects every UI (their pending calls reject with CONNECTION_CLOSED). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  dispose(): void {
    void this.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    // Orderly: each UI gets GOAWAY ("the host closed the session", not a dropped connection), then the
    // WebSocket's closing handshake; one that does not finish it in time is cut.
    const sockets = [...this.#sockets.clients];
    for (const peer of this.#peers) peer.close();
    this.#peers.clear();
    await closedWithin(sockets, WEB_UI_CLOSE_GRACE_MS);
    for (const socket of this.#sockets.clients) socket.terminate();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#sockets.close(() => resolve()));
    await closed;
    this.#onDidRefuse.dispose();
  }

  async #handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = checkedHost(request.headers.host, this.#port);
    const headers = securityHeaders(host);
    const answer = (status: number, text: string, extra: Record<string, string> = {}): void => {
      response.writeHead(status, {
        ...headers,
        ...extra,
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      response.end(`${text}\n`);
    };
    if (host === undefined) {
      answer(
        421,
        `This server answers only as http://127.0.0.1:${this.#port} or http://localhost:${this.#port}.`,
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      answer(405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = (request.url ?? '/').split('?')[0]!;
    if (pathname === WEB_UI_SOCKET_PATH) {
      answer(426, 'This is the WebSocket of the Tether UI; open the URL the host printed instead.', {
        Upgrade: 'websocket',
      });
      return;
    }
    let found;
    try {
      found = await this.#files.lookup(pathname);
    } catch {
      found = 'not-found' as const;
    }
    if (found === 'bad-request') return answer(400, 'Bad request path.');
    if (found === 'not-found') return answer(404, 'Not found.');
    response.writeHead(200, {
      ...headers,
      'Content-Type': contentTypeOf(found.file),
      'Content-Length': String(found.size),
      'Cache-Control': found.cacheControl,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const stream = createReadStream(found.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  #handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refusal = this.#refusalOf(request);
    if (refusal !== undefined) {
      this.#refuse(socket, refusal);
      return;
    }
    if (this.#closing !== undefined) {
      socket.destroy();
      return;
    }
    this.#sockets.handleUpgrade(request, socket, head, (webSocket) => this.#accept(webSocket));
  }

  /** What is wrong with an upgrade request, checked in this order: path, Host, Origin, token. */
  #refusalOf(request: IncomingMessage): WebUiRefusal | undefined {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (url.pathname !== WEB_UI_SOCKET_PATH) return { reason: 'wrong-path', detail: url.pathname };
    const host = request.headers.host;
    if (checkedHost(host, this.#port) === undefined)
      return { reason: 'wrong-host', detail: host ?? '(none)' };
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin, this.#port, this.#extraOrigins))
      return { reason: 'wrong-origin', detail: origin ?? '(none)' };
    const tokens = url.searchParams.getAll('token');
    if (tokens.length !== 1 || !accessTokenMatches(tokens[0], this.token))
      return { reason: 'wrong-token', detail: tokens.length === 0 ? 'no token' : 'a wrong token' };
    return undefined;
  }

  #refuse(socket: Duplex, refusal: WebUiRefusal): void {
    const [status, text] =
      refusal.reason === 'wrong-path'
        ? ['404 Not Found', `Not found; the WebSocket is ${WEB_UI_SOCKET_PATH}.`]
        : ['403 Forbidden', refusalMessage(refusal)];
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    if (refusal.reason !== 'wrong-path') {
      this.#manager.logStore.append(MANAGER_LOG_NAME, {
        time: Date.now(),
        level: 'warn',
        scope: AUDIT_LOG_SCOPE,
        message: `Refused a browser connection to the web UI: ${refusalMessage(refusal)}`,
        fields: { reason: refusal.reason, detail: refusal.detail },
      });
    }
    this.#onDidRefuse.fire(refusal);
  }

  #accept(webSocket: WebSocket): void {
    if (this.#closing !== undefined) {
      webSocket.terminate();
      return;
    }
    const peer = connectRpc(new WebSocketTransport(webSocket), {
      role: 'acceptor',
      peerName: 'a browser UI',
    });
    peer.expose(this.#binding.definition, this.#binding.implementation);
    this.#peers.add(peer);
    peer.onDidClose(() => this.#peers.delete(peer));
  }
}

/** Resolves once every socket is closed, or after `ms`. */
function closedWithin(sockets: readonly WebSocket[], ms: number): Promise<void> {
  const open = sockets.filter((socket) => socket.readyState !== socket.CLOSED);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms).unref();
    let left = open.length;
    for (const socket of open) {
      socket.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

function refusalMessage({ reason, detail }: WebUiRefusal): string {
  switch (reason) {
    case 'wrong-path':
      return `no WebSocket at ${detail}`;
    case 'wrong-host':
      return `the request was for host ${detail}, not this server (a DNS-rebinding attempt, or a proxy)`;
    case 'wrong-origin':
      return `the page opening it is from ${detail}, not from this server`;
    case 'wrong-token':
      return `it presented ${detail}; open the URL the host printed (it holds the token)`;
  }
}
