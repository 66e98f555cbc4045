/**
 * Every error code Tether raises. Codes are stable API: callers branch on them, and they cross the wire.
 * Add new codes here (one place), never reuse or rename one.
 */
export const errorCodes = [
  // options and configuration
  'INVALID_OPTIONS',
  'INVALID_ARGUMENT',
  // transport
  'TRANSPORT_ERROR',
  'CONNECTION_CLOSED',
  // mux
  'FRAMING_ERROR',
  'CHANNEL_LIMIT',
  'CHANNEL_CLOSED',
  'CHANNEL_RESET',
  'MESSAGE_TOO_LARGE',
  // codec
  'SERIALIZATION_ERROR',
  // rpc
  'PROTOCOL_ERROR',
  'SERVICE_NOT_FOUND',
  'METHOD_NOT_FOUND',
  'REMOTE_ERROR',
  'TIMEOUT',
  'ABORTED',
  'TOO_MANY_PENDING_CALLS',
  'REFERENCE_RELEASED',
  'BROKER_ERROR',
  /** currentCall() outside a call handler (or, outside Node, after the handler's first await). */
  'NO_CALL_CONTEXT',
  // plugin start-up and lifecycle
  'HANDSHAKE_FAILED',
  'AUTH_FAILED',
  'COOKIE_MISMATCH',
  'CORE_VERSION_MISMATCH',
  'NO_COMMON_VERSION',
  'START_TIMEOUT',
  'PLUGIN_EXITED',
  'PROTOCOL_VIOLATION',
  'ENTRY_NOT_FOUND',
  'ENTRY_NOT_EXECUTABLE',
  'CHECKSUM_MISMATCH',
  'NOT_STARTED',
  'PTY_UNAVAILABLE',
  /** No Node.js to run a plugin with: the app is built without Electron's RunAsNode and none is on PATH. */
  'NODE_NOT_FOUND',
  /** The extension has no terminal now: it does not run in one (runner "pty"), or is not running. */
  'NO_TERMINAL',
  // contributed commands
  'COMMAND_NOT_FOUND',
  // manifest
  'INVALID_MANIFEST',
  'INCOMPATIBLE_HOST',
  // extension manager
  'EXTENSION_NOT_FOUND',
  'EXTENSION_DISABLED',
  'EXTENSION_INVALID',
  'EXTENSION_FAILED',
  'PERMISSION_DENIED',
  'MANAGER_DISPOSED',
  'INTERNAL',
  // the control socket of a running host (tether host; tether list, start, …)
  'HOST_NOT_RUNNING',
  'HOST_ALREADY_RUNNING',
  // install: extension packages and their signatures (InstallError in @tether/extension-host)
  'NOT_SIGNED',
  'UNTRUSTED_PUBLISHER',
  'BAD_SIGNATURE',
  'PACKAGE_CORRUPT',
  // packing an extension (tether pack)
  'PACK_FAILED',
  // install: unpacking a package archive (extension-host/src/install/safe-extract.ts)
  'UNSAFE_ARCHIVE',
  'EXTRACT_FAILED',
  // install: downloading a package (extension-host/src/install/download.ts)
  'DOWNLOAD_REFUSED',
  'DOWNLOAD_FAILED',
  'DOWNLOAD_TOO_LARGE',
  'DOWNLOAD_TIMEOUT',
  'DOWNLOAD_INCOMPLETE',
  // install: putting a verified package in place (extension-host/src/install/extension-installer.ts)
  'ALREADY_INSTALLED',
  'DOWNGRADE_REFUSED',
  'INSTALL_FAILED',
  'REQUIREMENT_UNMET',
] as const;

export type TetherErrorCode = (typeof errorCodes)[number];

export function isTetherErrorCode(value: unknown): value is TetherErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
