export { errorCodes, isTetherErrorCode, type TetherErrorCode } from './error-codes.js';
export { TetherError, isTetherError, type TetherErrorOptions } from './tether-error.js';
export {
  FramingError,
  ConnectionClosedError,
  ChannelClosedError,
  SerializationError,
  RpcTimeoutError,
  AbortedError,
} from './errors.js';
