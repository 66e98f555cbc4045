import type { Transport } from '@tether/sdk/wire';
import type { SocketDir } from '../process/socket-dir.js';

/**
 * A launched plugin's connection through its private socket. Connections are taken in arrival order; the
 * socket stays until one of them is confirmed as the plugin (its HELLO carried the per-launch secret), so
 * a same-user process that connects first is refused and the real plugin can still connect after it. Then
 * the socket (file and directory) goes at once. Shared by the runners that spawn a process and give it
 * `TETHER_SOCKET` (node, executable, pty).
 */
export class SocketConnection {
  readonly #socket: SocketDir;
  readonly #gone: () => boolean;
  #current: Promise<Transport>;
  #accepted: Transport | undefined;
  #confirmed = false;
  #closed = false;
  /** Set once `fail`/`close` ran: later waits reject with it. */
  #failure: (() => Error) | undefined;
  #rejectWaiting: ((make: () => Error) => void) | undefined;

  /** `gone()` says the process already exited or was disposed: a connection that arrives then is closed. */
  constructor(socket: SocketDir, gone: () => boolean) {
    this.#socket = socket;
    this.#gone = gone;
    this.#current = this.#acceptNext();
  }

  /** The connection being considered: resolves with it, or rejects with what `fail` built first. */
  get transport(): Promise<Transport> {
    return this.#current;
  }

  /** Closes the connection being considered (it was refused) and waits for the next one. */
  next(): Promise<Transport> {
    if (!this.#confirmed) {
      this.#accepted?.dispose();
      this.#accepted = undefined;
      this.#current = this.#acceptNext();
    }
    return this.#current;
  }

  /** The connection being considered is the plugin: the socket goes, so no other connection can follow. */
  confirm(): void {
    this.#confirmed = true;
    this.#socket.dispose();
  }

  /**
   * Rejects a connection still awaited with the error `make` builds (PLUGIN_EXITED, CONNECTION_CLOSED…),
   * and removes the socket. Once the plugin has connected nothing is built: a normal stop costs no error.
   */
  fail(make: () => Error): void {
    this.#failure ??= make;
    this.#rejectWaiting?.(make);
    this.#rejectWaiting = undefined;
    this.#socket.dispose();
  }

  /** Like `fail`, and closes the connection if there is one. Idempotent. */
  close(make: () => Error): void {
    this.#closed = true;
    this.fail(make);
    this.#accepted?.dispose();
  }

  #acceptNext(): Promise<Transport> {
    const failure = this.#failure;
    if (failure !== undefined) return rejected(failure());
    const promise = new Promise<Transport>((resolve, reject) => {
      let settled = false;
      const fail = (make: () => Error): void => {
        if (settled) return;
        settled = true;
        this.#rejectWaiting = undefined;
        reject(make());
      };
      this.#rejectWaiting = fail;
      this.#socket.listener.accept().then(
        (transport) => {
          if (settled || this.#closed || this.#gone()) {
            transport.dispose();
            return;
          }
          settled = true;
          this.#rejectWaiting = undefined;
          this.#accepted = transport;
          resolve(transport);
        },
        // The listener closed; fail() has usually rejected already, with the better error.
        (error: unknown) =>
          fail(this.#failure ?? (() => (error instanceof Error ? error : new Error(String(error))))),
      );
    });
    // The connection may never be asked for; its rejection is not an unhandled one.
    promise.catch(() => {});
    return promise;
  }
}

function rejected(error: Error): Promise<Transport> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise;
}
