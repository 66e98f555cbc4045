// The host's half of the control socket: a private Unix socket in the manager's data folder on which every
// connection is an RPC peer serving `ManagerApi`, so `tether list|start|exec|logs` (or any local UI) reach
// a running host as Tether clients. The client's half is control-socket-client.ts.
import { lstat, readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { TetherError, isTetherError, type Disposable, type ServiceBinding } from '@tether/sdk';
import { connectRpc, listenUnixSocket, type RpcPeer, type UnixSocketListener } from '@tether/sdk/wire';
import { writeFileAtomic } from './atomic-file.js';
import { controlSocketPath, hostPidPath, preparePrivateFolder } from './control-socket-path.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import { managerApiBinding } from './manager-api-service.js';

/**
 * The manager's control socket, claimed and (after `serve`) answering. Closing it stops listening, removes
 * the socket and pid files and disconnects every client.
 */
export class ControlSocketServer implements Disposable {
  /** Where it listens: `<data folder>/control.sock`. */
  readonly path: string;
  readonly dataFolder: string;
  readonly #listener: UnixSocketListener;
  readonly #pidFile: string;
  readonly #peers = new Set<RpcPeer>();
  #serving = false;
  #closing: Promise<void> | undefined;

  private constructor(dataFolder: string, listener: UnixSocketListener) {
    this.dataFolder = dataFolder;
    this.path = listener.path;
    this.#listener = listener;
    this.#pidFile = hostPidPath(dataFolder);
  }

  /**
   * Makes the data folder private (created with mode 0700, or narrowed to it), listens on its control socket
   * (mode 0600) and writes `host.pid` beside it. A socket file that nobody answers on (left by a host that
   * was killed) is replaced. Connections that arrive before `serve` wait for it.
   * @throws TetherError HOST_ALREADY_RUNNING when a host answers on the socket; INVALID_OPTIONS when the folder
   * cannot be used (another user's, not a folder, a path too long for a socket).
   */
  static async claim(dataFolder: string): Promise<ControlSocketServer> {
    const folder = await preparePrivateFolder(dataFolder);
    const socketPath = controlSocketPath(folder);
    const listener = await listenReplacingStale(folder, socketPath);
    const server = new ControlSocketServer(folder, listener);
    try {
      await writeFileAtomic(server.#pidFile, `${process.pid}\n`);
    } catch (error) {
      await listener.close();
      throw error;
    }
    return server;
  }

  /** Clients connected now. */
  get connections(): number {
    return this.#peers.size;
  }

  /** Starts answering: each connection gets an RPC peer exposing `bindings`. Call once. */
  serve(bindings: readonly ServiceBinding[]): void {
    if (this.#serving)
      throw new TetherError('INVALID_OPTIONS', 'ControlSocketServer.serve() is called once.');
    this.#serving = true;
    void this.#acceptLoop(bindings);
  }

  /** Stops listening, removes the socket and pid files, disconnects every client. Idempotent. */
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

  async #acceptLoop(bindings: readonly ServiceBinding[]): Promise<void> {
    for (;;) {
      let transport;
      try {
        transport = await this.#listener.accept();
      } catch {
        return; // closed
      }
      const peer = connectRpc(transport, { role: 'acceptor', peerName: 'a control-socket client' });
      for (const { definition, implementation } of bindings) peer.expose(definition, implementation);
      this.#peers.add(peer);
      peer.onDidClose(() => this.#peers.delete(peer));
      if (this.#closing !== undefined) peer.dispose();
    }
  }

  async #close(): Promise<void> {
    await this.#listener.close(); // also unlinks the socket file
    for (const peer of this.#peers) peer.dispose();
    this.#peers.clear();
    // Only our own pid file: a host that replaced ours (after we were thought dead) keeps its.
    const pid = await readFile(this.#pidFile, 'utf8').then(
      (text) => Number.parseInt(text, 10),
      () => undefined,
    );
    if (pid === process.pid) await rm(this.#pidFile, { force: true });
  }
}

/**
 * Claims the control socket of `manager`'s data folder and serves the manager's `ManagerApi` on it. (A host
 * that must not start extensions before it knows it is the only one, like `tether host`, claims first with
 * `ControlSocketServer.claim` and serves once its manager exists.)
 */
export async function serveControlSocket(manager: ExtensionHostManager): Promise<ControlSocketServer> {
  const server = await ControlSocketServer.claim(manager.dataFolder);
  server.serve([managerApiBinding(manager)]);
  return server;
}

async function listenReplacingStale(folder: string, socketPath: string): Promise<UnixSocketListener> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listenUnixSocket(socketPath);
    } catch (error) {
      if (!isTetherError(error) || errnoOf(error.cause) !== 'EADDRINUSE' || attempt >= 2) throw error;
    }
    const probe = await probeSocket(socketPath);
    if (probe === 'answers') {
      const pid = await readFile(hostPidPath(folder), 'utf8').then(
        (text) => Number.parseInt(text, 10),
        () => Number.NaN,
      );
      throw new TetherError(
        'HOST_ALREADY_RUNNING',
        `A tether host is already running with data folder ${folder}${Number.isNaN(pid) ? '' : ` (pid ${pid})`}. Use that one ("tether list --data ${folder}"), stop it first (Ctrl-C in its terminal${Number.isNaN(pid) ? '' : `, or kill ${pid}`}), or give this host another folder with --data.`,
      );
    }
    if (probe === 'refused') {
      // Nobody listens: the host that made it was killed before it could clean up. Replace it, but only
      // a socket: anything else by that name is not ours to delete.
      const stats = await lstat(socketPath).catch(() => undefined);
      if (stats !== undefined && !stats.isSocket()) {
        throw new TetherError(
          'INVALID_OPTIONS',
          `${socketPath} exists and is not a socket; the host needs that name for its control socket. Move the file away, or use another data folder with --data.`,
        );
      }
      await rm(socketPath, { force: true });
    }
    // 'gone': it vanished meanwhile (a host closing); just try again.
  }
}

/** Whether something answers on the Unix socket at `path`. */
function probeSocket(path: string): Promise<'answers' | 'refused' | 'gone'> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve('answers');
    });
    socket.once('error', (error) => {
      const code = errnoOf(error);
      if (code === 'ECONNREFUSED' || code === 'ENOTSOCK') resolve('refused');
      else if (code === 'ENOENT') resolve('gone');
      else
        reject(
          new TetherError(
            'TRANSPORT_ERROR',
            `Could not tell whether a host is listening on ${path} (${code ?? error.message}); check the data folder's permissions.`,
            { cause: error },
          ),
        );
    });
  });
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
