import { TetherError, isTetherError, type TetherErrorOptions } from '@tether/sdk';

/**
 * The connection to a running plugin broke and the host gave up on it: the plugin violated the protocol
 * (PROTOCOL_VIOLATION), or closed its connection and kept running (CONNECTION_CLOSED). Its process group
 * was killed. Pending and later calls reject with it; `onDidCrash` carries it as `cause`.
 */
export class PluginFailedError extends TetherError {
  override name = 'PluginFailedError';
  /** The plugin's last stderr lines, oldest first. */
  readonly stderrTail: readonly string[];

  constructor(
    code: 'PROTOCOL_VIOLATION' | 'CONNECTION_CLOSED',
    message: string,
    stderrTail: readonly string[],
    options?: TetherErrorOptions,
  ) {
    super(code, message, options);
    this.stderrTail = stderrTail;
  }
}

/**
 * True when a session closed because this side found the peer breaking the protocol: a mux framing
 * violation (a frame over the limit, data beyond credit, the reassembly budget…) or an RPC one.
 */
export function isProtocolViolation(error: unknown): error is TetherError<string> {
  return isTetherError(error, 'FRAMING_ERROR') || isTetherError(error, 'PROTOCOL_ERROR');
}

/** The error a plugin's calls fail with once it broke the protocol (`violation` is the session's close reason). */
export function protocolViolationError(
  name: string,
  violation: Error,
  stderrTail: readonly string[],
  where?: string,
): PluginFailedError {
  const tail = stderrTail.slice(-5);
  return new PluginFailedError(
    'PROTOCOL_VIOLATION',
    `Plugin "${name}" broke the Tether protocol${where === undefined ? '' : ` while ${where} was pending`}: ${violation.message} The host closed its connection and killed its process group. Fix the plugin (or rebuild it with a matching @tether/sdk) and restart it.${tail.length > 0 ? `\nIts last stderr lines:\n  ${tail.join('\n  ')}` : ''}`,
    stderrTail,
    { cause: violation },
  );
}

/** The error of a plugin that closed its connection but did not exit within `graceMs`. */
export function closedButRunningError(
  name: string,
  graceMs: number,
  stderrTail: readonly string[],
  cause: Error | undefined,
): PluginFailedError {
  return new PluginFailedError(
    'CONNECTION_CLOSED',
    `Plugin "${name}" closed its connection to the host${cause === undefined ? '' : ` (${cause.message})`} but was still running ${graceMs} ms later; the host killed its process group. Restart it to use it again.`,
    stderrTail,
    cause === undefined ? undefined : { cause },
  );
}
