// The value codec: MessagePack with Tether's extension types (see PROTOCOL-SECTION.md).
export type { CodecHooks, HookValue } from './codec-types.js';
export { ExtType, HOOK_EXT_MAX, HOOK_EXT_MIN } from './ext-types.js';
export {
  MAX_VALUE_DEPTH_LIMIT,
  ValueCodec,
  extensionMarker,
  type ValueCodecOptions,
  type DecodeOptions,
} from './value-codec.js';
export { TRANSFER_MIN_BYTES, isTransferred, transfer } from './transfer.js';
