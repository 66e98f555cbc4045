import { ValueCodec } from '../codec/index.js';
import { SerializationError } from '../errors/errors.js';
import type { MuxChannel } from '../mux/mux-types.js';

type MessageListener = ((event: { data: unknown }) => void) | { handleEvent(event: { data: unknown }): void };

/**
 * A mux channel as a comlink `Endpoint` (postMessage + message events), so existing comlink code runs over
 * a Tether connection unchanged: `Comlink.expose(api, endpoint)` on one side, `Comlink.wrap(endpoint)` on
 * the other. Messages are encoded with Tether's codec (structured-clone types survive). comlink's own
 * transferables (MessagePorts, comlink.proxy) cannot cross a process boundary: use Tether's `proxy()`.
 */
export class ChannelEndpoint {
  readonly channel: MuxChannel;
  readonly #codec = new ValueCodec();
  readonly #listeners = new Set<MessageListener>();

  constructor(channel: MuxChannel) {
    this.channel = channel;
    channel.onDidReceive((bytes) => {
      let data: unknown;
      try {
        data = this.#codec.decode(bytes);
      } catch {
        channel.reset('a comlink message could not be decoded');
        return;
      }
      for (const listener of [...this.#listeners]) {
        if (typeof listener === 'function') listener({ data });
        else listener.handleEvent({ data });
      }
    });
    // A channel that arrived before it was accepted is held paused; deliver what it holds now.
    if (channel.isPaused) channel.resume();
  }

  postMessage(message: unknown, transfer?: readonly unknown[]): void {
    if (transfer !== undefined && transfer.length > 0) {
      throw new SerializationError(
        'comlink transferables (MessagePort, Comlink.proxy, transfer()) cannot cross a process boundary over Tether. Pass callbacks with Tether’s proxy() on an RpcPeer instead.',
      );
    }
    if (this.channel.writable) this.channel.send(this.#codec.encode(message));
  }

  addEventListener(type: string, listener: MessageListener): void {
    if (type === 'message') this.#listeners.add(listener);
  }

  removeEventListener(type: string, listener: MessageListener): void {
    if (type === 'message') this.#listeners.delete(listener);
  }

  start(): void {}

  /** Ends the channel (comlink calls this when a wrapped proxy is released). */
  close(): void {
    this.#listeners.clear();
    if (this.channel.writable) this.channel.end();
  }
}
