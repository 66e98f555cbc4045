// Test-only: real WebSockets for the WebSocketTransport tests — ws's WebSocketServer on 127.0.0.1 (any free
// port) and ws clients. Not part of the published build.
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import { WebSocketTransport } from '../transport/websocket-transport.js';
import { waitFor } from './wait-for.js';

export interface WebSocketListener {
  /** `ws://127.0.0.1:<port>/tether` */
  readonly url: string;
  readonly server: WebSocketServer;
  /** The next socket the server accepted, in order. */
  accepted(): Promise<WebSocket>;
  /** Terminates the accepted sockets and stops listening. */
  close(): Promise<void>;
}

export async function listenWebSocket(options: ServerOptions = {}): Promise<WebSocketListener> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const queue: WebSocket[] = [];
  server.on('connection', (socket) => queue.push(socket));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/tether`,
    server,
    async accepted() {
      await waitFor(() => queue.length > 0, { what: 'the server to accept a WebSocket', intervalMs: 1 });
      return queue.shift()!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** ws's WebSocket, remembering each instance (so a test can reach a client transport's raw socket). */
export class RecordingWebSocket extends WebSocket {
  static readonly created: WebSocket[] = [];
  constructor(url: string | URL) {
    super(url);
    RecordingWebSocket.created.push(this);
  }
}

export interface WebSocketPair {
  /** Made by `WebSocketTransport.connect` with ws's WebSocket. */
  readonly client: WebSocketTransport;
  /** Made with `new WebSocketTransport(accepted socket)`, as a server does. */
  readonly server: WebSocketTransport;
  readonly clientSocket: WebSocket;
  readonly serverSocket: WebSocket;
  /** Disposes both transports and stops the server. */
  dispose(): Promise<void>;
}

/** Two connected WebSocketTransports over a real socket on 127.0.0.1. */
export async function webSocketPair(): Promise<WebSocketPair> {
  const listener = await listenWebSocket();
  const client = await WebSocketTransport.connect(listener.url, { WebSocket: RecordingWebSocket });
  const clientSocket = RecordingWebSocket.created.at(-1)!;
  const serverSocket = await listener.accepted();
  const server = new WebSocketTransport(serverSocket);
  return {
    client,
    server,
    clientSocket,
    serverSocket,
    async dispose() {
      client.dispose();
      server.dispose();
      await listener.close();
    },
  };
}
