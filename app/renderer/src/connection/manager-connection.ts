// The UI's one connection to the host: a Tether RPC peer over a transport (a WebSocket in a browser, a
// MessagePort in Electron), holding the `Remote<ManagerApi>` every view talks through. When the transport
// goes away the connection says so (the banner shows it) and reconnects with backoff; each new connection has
// a new `generation`, and views reload what they show from its `api`.
import { createContext, useContext, useSyncExternalStore } from 'react';
import {
  WebSocketTransport,
  connectRpc,
  type Disposable,
  type Remote,
  type RpcPeer,
  type Transport,
} from '@tether/sdk/common';
import { managerApi, type ManagerApi } from '@tether/extension-host/manager-api';
import { errorText } from '../common/error-text.js';
import { RECONNECT_INITIAL_DELAY_MS, RECONNECT_MAX_DELAY_MS } from '../constants.js';

/**
 * - `connecting`: the first attempt is under way.
 * - `connected`: `api` works.
 * - `reconnecting`: the connection was lost (or never made) and the next attempt is scheduled or running.
 * - `closed`: disposed; no more attempts.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ConnectionSnapshot {
  readonly status: ConnectionStatus;
  /** The host's manager; present only while `connected`. */
  readonly api: Remote<ManagerApi> | undefined;
  /** Counts successful connections: a view reloads its data when it changes. */
  readonly generation: number;
  /** Failed attempts since the last successful one. */
  readonly attempt: number;
  /** Why the connection was lost or the last attempt failed. */
  readonly error: string | undefined;
}

/** Opens a fresh transport to the host (rejects when it cannot). */
export type TransportOpener = () => Promise<Transport>;

export interface ManagerConnectionOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export class ManagerConnection implements Disposable {
  readonly #open: TransportOpener;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #listeners = new Set<() => void>();
  #snapshot: ConnectionSnapshot = {
    status: 'connecting',
    api: undefined,
    generation: 0,
    attempt: 0,
    error: undefined,
  };
  #peer: RpcPeer | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;

  constructor(open: TransportOpener, options: ManagerConnectionOptions = {}) {
    this.#open = open;
    this.#initialDelayMs = options.initialDelayMs ?? RECONNECT_INITIAL_DELAY_MS;
    this.#maxDelayMs = options.maxDelayMs ?? RECONNECT_MAX_DELAY_MS;
  }

  get snapshot(): ConnectionSnapshot {
    return this.#snapshot;
  }

  /** Calls `listener` after every change of `snapshot` (the shape `useSyncExternalStore` wants). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Makes the first attempt. Idempotent. */
  start(): void {
    if (this.#started || this.#snapshot.status === 'closed') return;
    this.#started = true;
    void this.#attempt();
  }

  /** Tries again now instead of waiting for the scheduled attempt. */
  reconnectNow(): void {
    if (this.#snapshot.status !== 'reconnecting' || this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#attempt();
  }

  dispose(): void {
    if (this.#snapshot.status === 'closed') return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#update({ status: 'closed', api: undefined });
    this.#peer?.dispose();
    this.#peer = undefined;
  }

  async #attempt(): Promise<void> {
    let transport: Transport;
    try {
      transport = await this.#open();
    } catch (error) {
      this.#lost(`could not connect: ${errorText(error)}`);
      return;
    }
    if (this.#snapshot.status === 'closed') {
      transport.dispose();
      return;
    }
    const peer = connectRpc(transport, { role: 'initiator', peerName: 'the host' });
    this.#peer = peer;
    peer.onDidClose((event) => {
      if (this.#peer !== peer) return;
      this.#peer = undefined;
      this.#lost(event.error === undefined ? 'the host closed the connection' : errorText(event.error));
    });
    peer.onDidFail((error) => console.warn('[tether] connection:', error));
    this.#update({
      status: 'connected',
      api: peer.remote(managerApi),
      generation: this.#snapshot.generation + 1,
      attempt: 0,
      error: undefined,
    });
  }

  #lost(reason: string): void {
    if (this.#snapshot.status === 'closed') return;
    const attempt = this.#snapshot.attempt + 1;
    this.#update({ status: 'reconnecting', api: undefined, attempt, error: reason });
    const delay = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** Math.min(attempt - 1, 16));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#attempt();
    }, delay);
  }

  #update(change: Partial<ConnectionSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * The host's WebSocket address for a page served at `location`: same host, path `/ws`, the page's `token`
 * passed on (the host refuses a socket without it): `token`, or else the address's `token` parameter.
 */
export function webSocketUrl(
  location: Pick<Location, 'protocol' | 'host' | 'search'>,
  token = new URLSearchParams(location.search).get('token') ?? '',
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

/** The opener of a browser page: a WebSocket to the host that served it. */
export function webSocketOpener(url: string): TransportOpener {
  return () => WebSocketTransport.connect(url);
}

export const ConnectionContext = createContext<ManagerConnection | undefined>(undefined);

const closedSnapshot: ConnectionSnapshot = {
  status: 'closed',
  api: undefined,
  generation: 0,
  attempt: 0,
  error: 'no connection was provided',
};
const noSubscription = (): (() => void) => () => undefined;

/** The connection's current state; re-renders on every change. */
export function useConnection(): ConnectionSnapshot {
  const connection = useContext(ConnectionContext);
  return useSyncExternalStore(
    connection?.subscribe ?? noSubscription,
    () => connection?.snapshot ?? closedSnapshot,
  );
}

/** The host's manager while connected, else undefined. */
export function useManagerApi(): Remote<ManagerApi> | undefined {
  return useConnection().api;
}
