import { Duplex } from 'node:stream';
import type { MuxChannel } from '../../mux/mux-types.js';
import { whenWritable } from '../stream-bridge.js';

/**
 * A Node `Duplex` of raw bytes over one mux channel (what the broker hands out). Backpressure works both
 * ways: writes wait for the peer's credit, and when the readable side's buffer is full the channel is
 * paused so the peer's writes wait.
 */
export class ChannelDuplex extends Duplex {
  readonly channel: MuxChannel;

  constructor(channel: MuxChannel) {
    super({ allowHalfOpen: true });
    this.channel = channel;
    channel.onDidReceive((bytes) => {
      if (!this.push(bytes)) channel.pause();
    });
    channel.onDidEnd(() => this.push(null));
    channel.onDidClose((event) => {
      if (event.error !== undefined) this.destroy(event.error);
      else this.push(null);
    });
    channel.pause();
  }

  override _read(): void {
    if (this.channel.isPaused && !this.channel.closed) this.channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      if (this.channel.send(chunk)) callback();
      else whenWritable(this.channel).then(() => callback(), callback);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.channel.writable) this.channel.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.channel.closed) {
      if (error !== null) this.channel.reset(error.message);
      else if (this.channel.writable) this.channel.end();
    }
    callback(error);
  }
}
