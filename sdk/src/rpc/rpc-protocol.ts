/**
 * The RPC messages carried on an 'rpc' mux channel, each one MessagePack value (see docs/protocol.md).
 * Every side opens its own 'rpc' channel and sends its requests (CALL, CANCEL, RELEASE, SUBSCRIBE,
 * UNSUBSCRIBE, EVENT) on it; answers (RESULT, ERROR, ACK) go back on the channel the CALL came in on.
 */
export const MessageKind = {
  /** [1, callId, target, method, args] — callId 0 = notification (no answer). target: service name or reference id. */
  Call: 1,
  /** [2, callId, value] */
  Result: 2,
  /** [3, callId, error] */
  Error: 3,
  /** [4, callId] — the caller gave up (abort or timeout): abort the handler's signal. */
  Cancel: 4,
  /** [5, referenceId, count] — the sender dropped `count` receipts of a reference the receiver exported. */
  Release: 5,
  /** [6, service, event] — start sending EVENT messages for this event. */
  Subscribe: 6,
  /** [7, service, event] */
  Unsubscribe: 7,
  /** [8, service, event, payload] */
  Event: 8,
  /**
   * [9, [callId, …]] — the sender dispatched these calls (their handlers started) and has not answered them
   * yet. Sent only when negotiated (the handshake's `acks`), in one message per event-loop turn, so a
   * blocked event loop delays it; see protocol.md section 4.8.
   */
  Ack: 9,
} as const;

/** Extension types the RPC layer adds to the value codec (16..63 are handed to the RPC layer). */
export const ExtType = {
  /** [referenceId, kind (0 function, 1 object), methodNames] — a value exported by the sender. */
  Reference: 16,
  /** [referenceId] — a reference the receiver exported earlier, coming home: decodes to the original. */
  ReturnedReference: 17,
  /** [channelId, kind, objectMode] — a stream carried on its own channel (see StreamKind). */
  Stream: 18,
  /** [] — the AbortSignal of the call being made; decodes to the handler's signal for that call. */
  AbortSignal: 19,
} as const;

export const ReferenceKind = { Function: 0, Object: 1 } as const;

/** Which kind of stream an ext 18 value is, and so which way its items flow. */
export const StreamKind = {
  /** Items flow from the sender of the value to the receiver; arrives as an AsyncIterable. */
  AsyncIterable: 0,
  /** Arrives as a Web ReadableStream. */
  ReadableStream: 1,
  /** Node Readable; arrives as a Node Readable. */
  NodeReadable: 2,
  /** Items flow from the receiver back to the sender's WritableStream; arrives as a WritableStream. */
  WritableStream: 3,
} as const;

/** Messages on a stream channel. The end of the stream is the channel's END. */
export const StreamMessage = {
  /** [0, value] */
  Item: 0,
  /** [1, error] — the producer failed; the consumer's read rejects with it. */
  Failure: 1,
} as const;

export const RPC_CHANNEL_LABEL = 'rpc';
export const STREAM_CHANNEL_LABEL = 'stream';
export const BROKER_CHANNEL_PREFIX = 'broker:';
export const COMLINK_CHANNEL_PREFIX = 'comlink:';
/** Labels the RPC layer leaves alone: the plugin layer's handshake and control channels. */
export const PLUGIN_LAYER_CHANNEL_PREFIX = 'tether.';
