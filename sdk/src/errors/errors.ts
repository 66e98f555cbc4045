import type { TetherErrorCode } from './error-codes.js';
import { TetherError, type TetherErrorOptions } from './tether-error.js';

/** The peer broke the wire protocol (bad frame, bad header, frame over the limit). The session is closed. */
export class FramingError extends TetherError {
  override name = 'FramingError';
  constructor(message: string, options?: TetherErrorOptions) {
    super('FRAMING_ERROR', message, options);
  }
}

/** The connection (transport or mux session) is gone; the call or channel cannot complete. */
export class ConnectionClosedError extends TetherError {
  override name = 'ConnectionClosedError';
  constructor(message: string, options?: TetherErrorOptions) {
    super('CONNECTION_CLOSED', message, options);
  }
}

/** A channel was closed or reset, locally or by the peer. */
export class ChannelClosedError extends TetherError {
  override name = 'ChannelClosedError';
  constructor(
    code: Extract<TetherErrorCode, 'CHANNEL_CLOSED' | 'CHANNEL_RESET'>,
    message: string,
    options?: TetherErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** A value could not be encoded or decoded. Only the one call fails; the connection stays up. */
export class SerializationError extends TetherError {
  override name = 'SerializationError';
  constructor(message: string, options?: TetherErrorOptions) {
    super('SERIALIZATION_ERROR', message, options);
  }
}

/** A call did not complete in time. */
export class RpcTimeoutError extends TetherError {
  override name = 'RpcTimeoutError';
  constructor(message: string, options?: TetherErrorOptions) {
    super('TIMEOUT', message, options);
  }
}

/** A call was cancelled through its AbortSignal. */
export class AbortedError extends TetherError {
  override name = 'AbortedError';
  constructor(message: string, options?: TetherErrorOptions) {
    super('ABORTED', message, options);
  }
}
