import type { MuxChannel } from '../mux/mux-types.js';
import type { ChannelDuplex } from './node/channel-duplex.js';

/**
 * What the rpc layer needs of Node's streams, behind a seam so that the layer itself runs in any JS runtime
 * (vscode-jsonrpc's `common/` + `node/` split). `rpc/node/node-streams.ts` installs the Node adapter; the
 * Node entry points (`@tether/sdk`, `@tether/sdk/wire`) import it, `@tether/sdk/common` does not.
 *
 * Without an adapter (a browser):
 * - a Node `Readable` cannot be sent (there is none); as an async iterable it would go as one;
 * - a Node `Readable` that arrives from the peer is handed over as an async iterator of its items;
 * - the broker's byte channels (Node `Duplex`es) are unavailable: `Broker.open`/`accept` fail with
 *   `BROKER_ERROR`.
 */
export interface NodeStreamAdapter {
  /** If `value` is a Node `Readable`, whether it is in object mode; otherwise undefined. */
  readableObjectMode(value: object): boolean | undefined;
  /** A Node `Readable` reading from `iterator`; destroying it stops the producer. */
  toReadable(iterator: AsyncIterableIterator<unknown>, objectMode: boolean): unknown;
  /** A Node `Duplex` of raw bytes over a broker channel. */
  toDuplex(channel: MuxChannel): ChannelDuplex;
}

let installed: NodeStreamAdapter | undefined;

/** Installs the Node adapter (idempotent; the last one installed wins). */
export function installNodeStreamAdapter(adapter: NodeStreamAdapter): void {
  installed = adapter;
}

/** The installed adapter, or undefined outside Node (or in Node through `@tether/sdk/common` alone). */
export function nodeStreamAdapter(): NodeStreamAdapter | undefined {
  return installed;
}
