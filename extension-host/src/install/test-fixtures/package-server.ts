// A real HTTP(S) server on this machine for the download tests: each test gives the routes it needs, as
// plain node:http handlers, and the server counts the connections it saw (to prove a refusal made none).
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface PackageServer {
  /** The URL of `path` on this server (`http://127.0.0.1:port/path`, or https). */
  url(path: string): string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Paths requested so far, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export interface PackageServerOptions {
  /** Serve HTTPS with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
}

export async function startPackageServer(
  routes: Readonly<Record<string, Route>>,
  options: PackageServerOptions = {},
): Promise<PackageServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '/';
    requests.push(path);
    const route = routes[path];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(request, response);
  };
  const server: Server =
    options.tls === undefined ? createHttpServer(handler) : createHttpsServer(options.tls, handler);
  // TLS servers see the plain TCP connection first; both kinds report it as 'connection'.
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    url: (path) => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    port,
    get connections() {
      return connections;
    },
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
