/**
 * The value codec of the wire layer: MessagePack with Tether's extension types. Every RPC call's
 * arguments and results go through it. The encoding is specified in PROTOCOL-SECTION.md
 * (docs/protocol.md, "Values").
 */
import { DEFAULT_MAX_VALUE_DEPTH } from '../constants.js';
import { SerializationError } from '../errors/errors.js';
import { TetherError } from '../errors/tether-error.js';
import type { CodecHooks } from './codec-types.js';
import { ValueDecoder } from './value-decoder.js';
import { ValueEncoder } from './value-encoder.js';

export { extensionMarker } from './ext-types.js';

/**
 * Deepest `maxDepth` accepted. Encoding recurses three frames per level: with cold (interpreted) code
 * Node's default stack overflowed at ~1,780 levels, so 1024 leaves room for a caller that is itself deep.
 * Should the stack run out anyway, the codec still throws SerializationError.
 */
export const MAX_VALUE_DEPTH_LIMIT = 1024;

export interface DecodeOptions {
  /**
   * The caller hands `bytes` over and never reads or writes them again (a message just received): binary
   * values of 64 KiB and more may then be returned as views into `bytes` instead of copies (a
   * `Uint8Array` whose `byteOffset` is not 0 and whose `buffer` is larger than it). Default false.
   */
  readonly adopt?: boolean;
}

export interface ValueCodecOptions {
  /** Sends what the codec does not know itself (functions, marked objects, class instances) as ext 16..63. */
  readonly hooks?: CodecHooks;
  /**
   * Deepest nesting encoded or decoded (default {@link DEFAULT_MAX_VALUE_DEPTH}, at most
   * {@link MAX_VALUE_DEPTH_LIMIT}). Deeper values, and cyclic ones, fail with SerializationError.
   */
  readonly maxDepth?: number;
}

/**
 * The encoder and decoder already throw only SerializationError; this second net is for a caller that
 * is itself nearly out of stack, where building that error can overflow too (one frame up it fits).
 */
function asSerializationError(error: unknown): SerializationError {
  if (error instanceof SerializationError) return error;
  return new SerializationError(
    'cannot encode or decode value: the stack ran out; call the codec less deeply',
    {
      cause: error,
    },
  );
}

export class ValueCodec {
  readonly #hooks: CodecHooks | undefined;
  readonly #maxDepth: number;
  readonly #encoder: ValueEncoder;
  readonly #decoder: ValueDecoder;
  #encoding = false;
  #decoding = false;

  constructor(options: ValueCodecOptions = {}) {
    const { hooks, maxDepth = DEFAULT_MAX_VALUE_DEPTH } = options;
    if (hooks !== undefined) {
      if (typeof hooks !== 'object' || hooks === null) {
        throw new TetherError(
          'INVALID_OPTIONS',
          'ValueCodec: hooks must be an object with encode/decode functions.',
        );
      }
      for (const name of ['encode', 'decode'] as const) {
        if (hooks[name] !== undefined && typeof hooks[name] !== 'function') {
          throw new TetherError('INVALID_OPTIONS', `ValueCodec: hooks.${name} must be a function.`);
        }
      }
    }
    if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_VALUE_DEPTH_LIMIT) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `ValueCodec: maxDepth must be an integer from 1 to ${MAX_VALUE_DEPTH_LIMIT} (got ${String(maxDepth)}).`,
      );
    }
    this.#hooks = hooks;
    this.#maxDepth = maxDepth;
    this.#encoder = new ValueEncoder(hooks, maxDepth);
    this.#decoder = new ValueDecoder(hooks, maxDepth);
  }

  /**
   * Encodes one value. Returns a fresh Uint8Array the caller owns (a transport may retain it).
   * Throws SerializationError, whose message names the path to the value that cannot be sent.
   */
  encode(value: unknown): Uint8Array {
    // A hook that encodes something itself re-enters: give it its own encoder (and buffer).
    if (this.#encoding) return new ValueEncoder(this.#hooks, this.#maxDepth).encode(value);
    this.#encoding = true;
    try {
      return this.#encoder.encode(value);
    } catch (error) {
      throw asSerializationError(error);
    } finally {
      this.#encoding = false;
    }
  }

  /**
   * Like {@link encode}, but a `Uint8Array` handed over with `transfer()` is not copied: the message then
   * comes back as parts (send them in order, e.g. with a mux channel's `send(parts)`), the transferred
   * bytes among them as they are. Without transferred values it is one Uint8Array, as from `encode`.
   */
  encodeParts(value: unknown): Uint8Array | Uint8Array[] {
    if (this.#encoding) return new ValueEncoder(this.#hooks, this.#maxDepth).encodeParts(value);
    this.#encoding = true;
    try {
      return this.#encoder.encodeParts(value);
    } catch (error) {
      throw asSerializationError(error);
    } finally {
      this.#encoding = false;
    }
  }

  /**
   * Decodes one value that must fill `bytes` exactly. The result never aliases `bytes`, unless
   * `options.adopt` says the caller hands them over. Throws SerializationError on any malformed input, and
   * on nothing else.
   */
  decode(bytes: Uint8Array, options?: DecodeOptions): unknown {
    const adopt = options?.adopt === true;
    if (this.#decoding) return new ValueDecoder(this.#hooks, this.#maxDepth).decode(bytes, adopt);
    this.#decoding = true;
    try {
      return this.#decoder.decode(bytes, adopt);
    } catch (error) {
      throw asSerializationError(error);
    } finally {
      this.#decoding = false;
    }
  }
}
