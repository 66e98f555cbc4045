import { deferred, type Deferred } from '../common/deferred.js';
import type { MuxChannel } from '../mux/mux-types.js';
import { ChannelClosedError } from '../errors/errors.js';
import { StreamMessage } from './rpc-protocol.js';

/** The part of the peer's codec a stream needs. */
export interface StreamCodec {
  /** One Uint8Array, or parts when the value carries bytes handed over with `transfer()`. */
  encode(value: unknown): Uint8Array | Uint8Array[];
  decode(bytes: Uint8Array): unknown;
  /** Rebuilds a Failure payload as the error the consumer sees. */
  toError(payload: unknown): Error;
}

/**
 * A stream item that is a `Uint8Array` of at least this many bytes is sent without copying: a few header
 * bytes, then the item's own bytes as a part of the same message (one copy less on the sender, and no
 * allocation per item). As with a Node `Writable` or a WHATWG `WritableStream`, a chunk handed to a stream
 * belongs to it: do not modify it after yielding / writing it.
 */
export const UNCOPIED_ITEM_MIN = 64 * 1024;

/**
 * `[StreamMessage.Item, value]`, encoded. A large byte chunk goes as [header, chunk]: exactly what the codec
 * writes for it (fixarray 2, fixint Item, bin 32 + length), with the chunk itself uncopied.
 */
export function encodeItem(codec: StreamCodec, value: unknown): Uint8Array | Uint8Array[] {
  if (
    value instanceof Uint8Array &&
    value.byteLength >= UNCOPIED_ITEM_MIN &&
    value.byteLength <= 0xffff_ffff &&
    (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'Uint8Array'
  ) {
    const length = value.byteLength;
    const header = new Uint8Array([
      0x92,
      StreamMessage.Item,
      0xc6,
      length >>> 24,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    ]);
    return [header, value];
  }
  return codec.encode([StreamMessage.Item, value]);
}

/** Resolves when the channel can take more data, or has closed. */
export function whenWritable(channel: MuxChannel): Promise<void> {
  if (channel.closed || channel.bufferedAmount === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const drain = channel.onDidDrain(done);
    const close = channel.onDidClose(done);
    function done(): void {
      drain.dispose();
      close.dispose();
      resolve();
    }
  });
}

/**
 * Sends every item of `source` on `channel` (producer side of AsyncIterable / ReadableStream / Node Readable),
 * waiting whenever the peer has no credit left, then ends the channel. If the consumer stops early (the
 * channel is reset), the source's iterator is closed with `return()`.
 */
export function pumpToChannel(
  channel: MuxChannel,
  source: AsyncIterable<unknown> | Iterable<unknown>,
  codec: StreamCodec,
): void {
  void (async () => {
    const iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    let finished = false;
    // A consumer that goes away while the source has nothing to give (a live feed that is quiet) must not
    // keep the source running until its next item: close it as soon as the channel closes.
    const closed = channel.onDidClose(() => {
      if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    });
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done === true) {
          finished = true;
          break;
        }
        if (channel.closed) break;
        if (!channel.send(encodeItem(codec, step.value))) await whenWritable(channel);
        if (channel.closed) break;
      }
      if (finished) {
        if (channel.writable) channel.end();
      } else {
        await iterator.return?.();
      }
    } catch (error) {
      if (channel.writable) sendFailure(channel, codec, error);
      if (!finished) await Promise.resolve(iterator.return?.()).catch(() => undefined);
    } finally {
      finished = true;
      closed.dispose();
    }
  })().catch(() => undefined);
}

/**
 * Ends the stream with `error` (an item too large to send, a failing source). When even the error cannot
 * be sent (it does not encode, or is itself over the limit), a short one goes instead, and failing that
 * the channel is reset: the consumer always learns that the stream failed.
 */
function sendFailure(channel: MuxChannel, codec: StreamCodec, error: unknown): void {
  const short = new Error(
    error instanceof Error ? error.message.slice(0, 1000) : String(error).slice(0, 1000),
  );
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') (short as Error & { code?: string }).code = code;
  for (const failure of [error, short]) {
    try {
      channel.send(codec.encode([StreamMessage.Failure, failure]));
      channel.end();
      return;
    } catch {
      // try the next, shorter form
    }
  }
  channel.reset('the stream failed, and its error could not be sent');
}

/**
 * The consumer side: the channel's items as an async iterator. At most `highWaterMark` decoded items are
 * held; beyond that the channel is paused, so the producer waits (the mux holds back credit).
 */
export class ChannelItemIterator implements AsyncIterableIterator<unknown> {
  readonly #channel: MuxChannel;
  readonly #codec: StreamCodec;
  readonly #highWaterMark: number;
  readonly #queue: unknown[] = [];
  #waiting: Deferred<IteratorResult<unknown>> | undefined;
  #ended = false;
  #failure: { error: unknown } | undefined;

  constructor(channel: MuxChannel, codec: StreamCodec, highWaterMark: number) {
    this.#channel = channel;
    this.#codec = codec;
    this.#highWaterMark = highWaterMark;
    channel.onDidReceive((bytes) => this.#receive(bytes));
    channel.onDidEnd(() => this.#finish(undefined));
    channel.onDidClose((event) => this.#finish(event.error));
    if (channel.isPaused) channel.resume();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#queue.length > 0) {
      const value = this.#queue.shift();
      if (this.#channel.isPaused && this.#queue.length < this.#highWaterMark && !this.#ended)
        this.#channel.resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.#failure !== undefined) {
      const { error } = this.#failure;
      this.#failure = { error: new ChannelClosedError('CHANNEL_CLOSED', 'The stream already failed.') };
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    this.#waiting = deferred();
    return this.#waiting.promise;
  }

  return(): Promise<IteratorResult<unknown>> {
    this.#queue.length = 0;
    if (!this.#ended) {
      this.#ended = true;
      this.#channel.reset('the consumer stopped reading');
    }
    this.#failure = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  #receive(bytes: Uint8Array): void {
    let message: unknown;
    try {
      message = this.#codec.decode(bytes);
    } catch (error) {
      this.#fail(error);
      this.#channel.reset('a stream item could not be decoded');
      return;
    }
    if (
      !Array.isArray(message) ||
      (message[0] !== StreamMessage.Item && message[0] !== StreamMessage.Failure)
    ) {
      this.#fail(new ChannelClosedError('CHANNEL_RESET', 'The stream sent a malformed message.'));
      this.#channel.reset('malformed stream message');
      return;
    }
    if (message[0] === StreamMessage.Failure) {
      this.#fail(this.#codec.toError(message[1]));
      return;
    }
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting.resolve({ value: message[1], done: false });
      return;
    }
    this.#queue.push(message[1]);
    if (this.#queue.length >= this.#highWaterMark && !this.#channel.isPaused) this.#channel.pause();
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = { error };
    const waiting = this.#waiting;
    if (waiting !== undefined && this.#queue.length === 0) {
      this.#waiting = undefined;
      this.#failure = undefined;
      waiting.reject(error);
    }
  }

  #finish(error: Error | undefined): void {
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    // The producer ended its direction; end ours too so the channel closes and its id is freed.
    if (this.#channel.writable) this.#channel.end();
    if (this.#ended) return;
    this.#ended = true;
    const waiting = this.#waiting;
    if (waiting !== undefined && this.#queue.length === 0) {
      this.#waiting = undefined;
      waiting.resolve({ value: undefined, done: true });
    }
  }
}

/** A Web ReadableStream reading from `iterator`; cancelling it stops the producer. */
export function iteratorToReadableStream(iterator: AsyncIterableIterator<unknown>): ReadableStream<unknown> {
  return new ReadableStream<unknown>(
    {
      async pull(controller) {
        const step = await iterator.next();
        if (step.done === true) controller.close();
        else controller.enqueue(step.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The items of a Web ReadableStream; stopping early cancels the stream. */
export async function* readableStreamItems(stream: ReadableStream<unknown>): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) {
        done = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * The receiving end of a WritableStream sent by reference: a WritableStream whose writes travel over the
 * channel to the sender's real stream. A write resolves once the peer has credit for it (backpressure).
 */
export function channelToWritableStream(channel: MuxChannel, codec: StreamCodec): WritableStream<unknown> {
  return new WritableStream<unknown>({
    async write(chunk) {
      if (!channel.writable)
        throw new ChannelClosedError('CHANNEL_CLOSED', 'The stream was closed by its owner.');
      if (!channel.send(encodeItem(codec, chunk))) await whenWritable(channel);
    },
    close() {
      if (channel.writable) channel.end();
    },
    abort(reason) {
      if (channel.writable) {
        channel.send(
          codec.encode([StreamMessage.Failure, reason instanceof Error ? reason : new Error(String(reason))]),
        );
        channel.end();
      }
    },
  });
}

/**
 * The owning end of a WritableStream sent by reference: writes what arrives on the channel into the real
 * stream, pausing the channel while the stream's queue is full.
 */
export function drainChannelIntoWritable(
  channel: MuxChannel,
  writable: WritableStream<unknown>,
  codec: StreamCodec,
): void {
  const writer = writable.getWriter();
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    writer.abort(error).catch(() => undefined);
  };
  channel.onDidReceive((bytes) => {
    if (failed) return;
    let message: unknown;
    try {
      message = codec.decode(bytes);
    } catch (error) {
      fail(error);
      channel.reset('a stream item could not be decoded');
      return;
    }
    if (!Array.isArray(message)) return;
    if (message[0] === StreamMessage.Failure) {
      fail(codec.toError(message[1]));
      return;
    }
    writer.write(message[1]).catch((error: unknown) => {
      fail(error);
      channel.reset(`the stream's owner failed to write: ${String(error)}`);
    });
    if ((writer.desiredSize ?? 1) <= 0 && !channel.isPaused) {
      channel.pause();
      writer.ready.then(
        () => {
          if (!channel.closed) channel.resume();
        },
        () => undefined,
      );
    }
  });
  channel.onDidEnd(() => {
    if (channel.writable) channel.end();
    if (!failed) writer.close().catch(() => undefined);
  });
  channel.onDidClose((event) => {
    if (event.error !== undefined) fail(event.error);
  });
  if (channel.isPaused) channel.resume();
}
