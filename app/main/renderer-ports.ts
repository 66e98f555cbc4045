// The port hand-off, the main process's half: when a window's page asks (REQUEST_PORT_CHANNEL, from a
// trusted sender), a new message channel is made, `ManagerApi` is served on one end by an RPC peer, and the
// other end is posted to the page (PORT_MESSAGE; the preload forwards it to the page's main world, where the
// UI's ManagerConnection holds it: app/renderer/src/connection/electron-port-opener.ts). A page has one
// connection at a time: asking again (a reconnection, a reload) closes the previous one.
// Electron-free: `createChannel` makes a MessageChannelMain in the app, a worker_threads MessageChannel in
// the tests.
import {
  MessagePortTransport,
  connectRpc,
  type Disposable,
  type MessagePortLike,
  type RpcPeer,
  type ServiceBinding,
} from '@tether/sdk/common';

/** A new message channel: the main process keeps `port1`, `port2` goes to the page. */
export interface PortChannel<P> {
  readonly port1: MessagePortLike;
  readonly port2: P;
}

/** The page that asked: its id (a `webContents.id`) and how to post it its port. */
export interface PortRequester<P> {
  readonly id: number;
  post(port: P): void;
}

export interface RendererPortsOptions {
  /** Told when a connection fails (a protocol violation, a port that broke). */
  readonly onDidFail?: (error: Error) => void;
}

export class RendererPorts<P> implements Disposable {
  readonly #bindings: readonly ServiceBinding[];
  readonly #createChannel: () => PortChannel<P>;
  readonly #options: RendererPortsOptions;
  readonly #peers = new Map<number, RpcPeer>();
  #disposed = false;

  /** Serves `bindings` (the app's: `managerApiBinding(manager)`) on every port it hands off. */
  constructor(
    bindings: readonly ServiceBinding[],
    createChannel: () => PortChannel<P>,
    options: RendererPortsOptions = {},
  ) {
    this.#bindings = bindings;
    this.#createChannel = createChannel;
    this.#options = options;
  }

  /** Pages holding a connection now. */
  get connections(): number {
    return this.#peers.size;
  }

  /**
   * Makes a channel, serves the bindings on `port1` and posts `port2` to `requester`, after closing the
   * requester's previous connection. Does nothing once disposed (the app is quitting). The sender must have
   * been checked by the caller (security-policy.ts, `isTrustedSender`).
   */
  handOff(requester: PortRequester<P>): void {
    if (this.#disposed) return;
    this.release(requester.id);
    const { port1, port2 } = this.#createChannel();
    const peer = connectRpc(new MessagePortTransport(port1), {
      role: 'acceptor',
      peerName: 'the app window',
    });
    for (const binding of this.#bindings) peer.expose(binding.definition, binding.implementation);
    this.#peers.set(requester.id, peer);
    peer.onDidClose(() => {
      if (this.#peers.get(requester.id) === peer) this.#peers.delete(requester.id);
    });
    peer.onDidFail((error) => this.#options.onDidFail?.(error));
    requester.post(port2);
  }

  /** Closes the connection of page `id` (it navigated, its renderer went away, its window closed). */
  release(id: number): void {
    const peer = this.#peers.get(id);
    if (peer === undefined) return;
    this.#peers.delete(id);
    peer.close();
  }

  /** Closes every connection (their calls reject with CONNECTION_CLOSED) and refuses new ones. Idempotent. */
  dispose(): void {
    this.#disposed = true;
    for (const id of [...this.#peers.keys()]) this.release(id);
  }
}
