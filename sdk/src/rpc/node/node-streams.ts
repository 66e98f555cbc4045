// Node's streams for the rpc layer: Node `Readable`s are sent and received as such, and broker channels are
// Node `Duplex`es. Imported for this effect by the Node entry points (`index.ts`, `wire.ts`); see
// rpc/node-stream-adapter.ts for what the rpc layer does without it.
import { Readable } from 'node:stream';
import { installNodeStreamAdapter } from '../node-stream-adapter.js';
import { ChannelDuplex } from './channel-duplex.js';

installNodeStreamAdapter({
  readableObjectMode: (value) => (value instanceof Readable ? value.readableObjectMode : undefined),
  toReadable: (iterator, objectMode) => Readable.from(iterator, { objectMode }),
  toDuplex: (channel) => new ChannelDuplex(channel),
});
