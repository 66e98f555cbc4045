import { chmod } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Disposable } from '../../common/disposable.js';
import { ConnectionClosedError } from '../../errors/errors.js';
import { TetherError } from '../../errors/tether-error.js';
import { StreamTransport, type StreamTransportOptions } from './stream-transport.js';

/**
 * Connects to a Unix domain socket (or, on Windows, a named pipe such as `\\.\pipe\tether-1234`) and
 * returns a {@link StreamTransport} over it. Rejects with `TetherError('TRANSPORT_ERROR')` when nobody
 * listens there.
 */
export function connectUnixSocket(
  path: string,
  options: StreamTransportOptions = {},
): Promise<StreamTransport> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const onError = (error: Error): void => {
      socket.off('connect', onConnect);
      reject(
        new TetherError(
          'TRANSPORT_ERROR',
          `Could not connect to the socket at ${path} (${(error as NodeJS.ErrnoException).code ?? error.message}): is the host still running and listening there?`,
          { cause: error },
        ),
      );
    };
    const onConnect = (): void => {
      socket.off('error', onError);
      resolve(new StreamTransport(socket, options));
    };
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}

/** A listening Unix socket that hands out one {@link StreamTransport} per accepted connection. */
export interface UnixSocketListener extends Disposable {
  /** The path it listens on. */
  readonly path: string;
  /**
   * The next connection, in arrival order (connections that arrive before `accept()` is called are queued).
   * Rejects with ConnectionClosedError once the listener is closed.
   */
  accept(): Promise<StreamTransport>;
  /** Stops listening (the socket file is removed); connections already accepted stay open. Idempotent. */
  close(): Promise<void>;
  /** Like `close()`, without waiting; queued, not yet accepted connections are destroyed. */
  dispose(): void;
}

/**
 * Listens on a Unix domain socket at `path` (or a Windows named pipe). The socket file is made owner-only
 * (mode 0600) right after it is bound. There is a short window between bind and chmod in which the file has
 * the umask's mode, so the file must live in a private directory (mode 0700, e.g. from `fs.mkdtemp` in the
 * OS temp dir): that directory is the real access control. The plugin layer creates one per plugin.
 * Fails with `TetherError('TRANSPORT_ERROR')` (EADDRINUSE) when the path exists; a stale file is not removed.
 */
export async function listenUnixSocket(
  path: string,
  options: StreamTransportOptions = {},
): Promise<UnixSocketListener> {
  const server = createServer({ allowHalfOpen: false, pauseOnConnect: false });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new TetherError(
          'TRANSPORT_ERROR',
          `Could not listen on ${path} (${(error as NodeJS.ErrnoException).code ?? error.message}); use a fresh path in a private directory.`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen({ path, readableAll: false, writableAll: false }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  if (process.platform !== 'win32') {
    try {
      await chmod(path, 0o600);
    } catch (error) {
      server.close();
      throw new TetherError('TRANSPORT_ERROR', `Could not restrict the socket file ${path} to its owner.`, {
        cause: error,
      });
    }
  }
  return new Listener(server, path, options);
}

interface Waiter {
  resolve(transport: StreamTransport): void;
  reject(error: Error): void;
}

class Listener implements UnixSocketListener {
  readonly #server: Server;
  readonly #options: StreamTransportOptions;
  readonly #queued: Socket[] = [];
  readonly #waiters: Waiter[] = [];
  #closing: Promise<void> | undefined;

  constructor(
    server: Server,
    readonly path: string,
    options: StreamTransportOptions,
  ) {
    this.#server = server;
    this.#options = options;
    server.on('connection', this.#handleConnection);
    // A listening server reports errors only for accept failures (EMFILE…); they do not end the listener.
    server.on('error', ignore);
  }

  accept(): Promise<StreamTransport> {
    if (this.#closing !== undefined) return Promise.reject(this.#closedError());
    const socket = this.#queued.shift();
    if (socket !== undefined) return Promise.resolve(this.#adopt(socket));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#server.off('connection', this.#handleConnection);
      // Closes the listening socket (and unlinks its file) now; close()'s callback would also wait for every
      // accepted connection to end, which is not ours to wait for.
      this.#server.close();
      for (const socket of this.#queued.splice(0)) socket.destroy();
      const error = this.#closedError();
      for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
      this.#closing = new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.#closing;
  }

  dispose(): void {
    void this.close();
  }

  readonly #handleConnection = (socket: Socket): void => {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve(this.#adopt(socket));
      return;
    }
    // Until accepted, an error only destroys the socket; the transport then reports it as closed.
    socket.on('error', ignore);
    this.#queued.push(socket);
  };

  #adopt(socket: Socket): StreamTransport {
    socket.off('error', ignore);
    return new StreamTransport(socket, this.#options);
  }

  #closedError(): ConnectionClosedError {
    return new ConnectionClosedError(
      `The listener on ${this.path} is closed; no more connections are accepted.`,
    );
  }
}

function ignore(): void {}
