import type { Transport } from '@tether/sdk/wire';
import type { SocketDir } from '../process/socket-dir.js';

/**
 * A launched plugin's one connection through its private socket: the first connection is accepted and the
 * socket (file and directory) goes at once, so no other can follow. Shared by the runners that spawn a
 * process and give it `TETHER_SOCKET` (node, executable, pty).
 */
export class SocketConnection {
  /** Resolves with the transport, or rejects with what `fail` built first. Never an unhandled rejection. */
  readonly transport: Promise<Transport>;
  readonly #socket: SocketDir;
  #accepted: Transport | undefined;
  #closed = false;
  #reject: (make: () => Error) => void = () => {};

  /** `gone()` says the process already exited or was disposed: a connection that arrives then is closed. */
  constructor(socket: SocketDir, gone: () => boolean) {
    this.#socket = socket;
    this.transport = new Promise<Transport>((resolve, reject) => {
      this.#reject = (make) => {
        this.#reject = () => {};
        reject(make());
      };
      socket.listener.accept().then(
        (transport) => {
          if (this.#closed || gone()) {
            transport.dispose();
            return;
          }
          this.#accepted = transport;
          socket.dispose();
          this.#reject = () => {};
          resolve(transport);
        },
        (error: unknown) => this.#reject(() => (error instanceof Error ? error : new Error(String(error)))),
      );
    });
    // connection() may never be called; its rejection is not an unhandled one.
    this.transport.catch(() => {});
  }

  /**
   * Rejects a connection still awaited with the error `make` builds (PLUGIN_EXITED, CONNECTION_CLOSED…),
   * and removes the socket. Once the plugin has connected nothing is built: a normal stop costs no error.
   */
  fail(make: () => Error): void {
    this.#reject(make);
    this.#socket.dispose();
  }

  /** Like `fail`, and closes the connection if there is one. Idempotent. */
  close(make: () => Error): void {
    this.#closed = true;
    this.fail(make);
    this.#accepted?.dispose();
  }
}
