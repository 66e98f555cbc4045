/**
 * The value codec: MessagePack (https://github.com/msgpack/msgpack/blob/master/spec.md) with Tether's
 * extension types for the structured-clone values MessagePack lacks. Ext type numbers 0..15 are the codec's
 * own; 16..63 are handed to the layer above through {@link CodecHooks} (the RPC layer uses them for
 * references, streams and abort signals).
 */

/** An extension value produced by a hook: `payload` is encoded (recursively) as the ext's content. */
export interface HookValue {
  /** Ext type number, 16..63. */
  readonly type: number;
  readonly payload: unknown;
}

/**
 * Lets the layer above send values the codec does not know itself: functions, objects marked with
 * {@link extensionMarker}, and class instances such as streams or AbortSignals.
 */
export interface CodecHooks {
  /**
   * Called for every function, every object carrying {@link extensionMarker}, and every object the codec
   * does not know that is not a plain object (its prototype is neither Object.prototype nor null).
   * Return a HookValue to send it as an extension, or undefined to let the codec decide (functions then
   * fail with SerializationError; other class instances are sent as plain objects of their own enumerable
   * properties, like structured clone).
   *
   * Called once per occurrence, in encoding order, while the message is being encoded; the payload is
   * encoded like any value (one nesting level below the ext). It may call the codec re-entrantly. If it
   * throws, encoding fails with a SerializationError whose `cause` is what it threw. Known types (arrays,
   * plain objects, Date, Map, Set, RegExp, Error, typed arrays, ArrayBuffer) never reach it unless marked.
   */
  encode?(value: object): HookValue | undefined;
  /**
   * Rebuilds a value from an ext type 16..63 and its decoded payload. Called in decoding order, after the
   * payload has been checked to fill the ext exactly. If it throws, decoding fails with a
   * SerializationError whose `cause` is what it threw. Without it, ext types 16..63 fail to decode.
   */
  decode?(type: number, payload: unknown): unknown;
}
