import type { TetherErrorCode } from './error-codes.js';

export interface TetherErrorOptions {
  readonly cause?: unknown;
}

/**
 * The base of every error Tether raises. (`Code` is widened only by `RemoteError`, whose code is whatever
 * the remote error carried.) `code` is stable and machine-readable; `message` says what
 * happened and what to do next.
 */
export class TetherError<Code extends string = TetherErrorCode> extends Error {
  override name = 'TetherError';
  readonly code: Code;

  constructor(code: Code, message: string, options?: TetherErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `error` is a {@link TetherError}, optionally with the given code. */
export function isTetherError(error: unknown, code?: TetherErrorCode): error is TetherError<string> {
  return error instanceof TetherError && (code === undefined || error.code === code);
}
