import { TetherError } from '@tether/sdk';
import {
  DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS,
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DEFAULT_DOWNLOAD_MAX_REDIRECTS,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
} from '../constants.js';
import { ARCHIVE_MEDIA_TYPES } from './download-policy.js';

/** How far a download has come; reported at most every `DOWNLOAD_PROGRESS_INTERVAL_MS`, and once at the end. */
export interface DownloadProgress {
  /** Bytes received so far. */
  readonly bytes: number;
  /** The size the server announced (Content-Length), when it did. */
  readonly total?: number;
  /** `bytes / total` as a percentage (0–100, fractional), when the total is known. */
  readonly percent?: number;
  /** Average rate since the server started answering, in bytes per second. */
  readonly bytesPerSecond: number;
}

/** Options of `downloadPackage`; every field is optional (defaults in `constants.ts`). */
export interface DownloadOptions {
  /** Largest download in bytes (default {@link DEFAULT_DOWNLOAD_MAX_BYTES}); past it `DOWNLOAD_TOO_LARGE`. */
  readonly maxBytes?: number | undefined;
  /** Longest the whole download may take, redirects included, ms (default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}). */
  readonly timeoutMs?: number | undefined;
  /** Longest the server may stay silent, ms (default {@link DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS}). */
  readonly idleTimeoutMs?: number | undefined;
  /** Most redirects followed (default {@link DEFAULT_DOWNLOAD_MAX_REDIRECTS}); each must lead to HTTPS. */
  readonly maxRedirects?: number | undefined;
  /** Cancels the download: it fails with `ABORTED` and leaves no file. */
  readonly signal?: AbortSignal | undefined;
  /** Called with the progress; it must not throw (if it does, the download fails with that error). */
  readonly onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /**
   * Allows plain `http:` to this machine only (127.0.0.0/8, `[::1]`, `localhost`), for development and tests
   * (default false). Never to another host, and never as the target of a redirect from HTTPS.
   */
  readonly allowLoopbackHttp?: boolean | undefined;
  /**
   * The certificates (PEM) trusted for HTTPS instead of Node's bundled roots: a company's own CA, or a
   * test's self-signed certificate. Default: Node's roots.
   */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /**
   * The media types (Content-Type without parameters) accepted from the server, for a download that is no
   * package archive, such as its signature (default: the archive types of `ARCHIVE_MEDIA_TYPES`). An answer
   * without a Content-Type is always accepted.
   */
  readonly acceptedMediaTypes?: readonly string[] | undefined;
}

/** {@link DownloadOptions} with every default applied. */
export interface ResolvedDownloadOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxRedirects: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: DownloadProgress) => void) | undefined;
  readonly allowLoopbackHttp: boolean;
  readonly ca: string | Buffer | (string | Buffer)[] | undefined;
  readonly acceptedMediaTypes: ReadonlySet<string>;
}

/** Applies defaults and checks ranges; throws `TetherError('INVALID_OPTIONS')` naming the bad field. */
export function resolveDownloadOptions(options: DownloadOptions = {}): ResolvedDownloadOptions {
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw invalid('onProgress must be a function');
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalid('signal must be an AbortSignal');
  }
  if (options.allowLoopbackHttp !== undefined && typeof options.allowLoopbackHttp !== 'boolean') {
    throw invalid(`allowLoopbackHttp must be true or false, got ${String(options.allowLoopbackHttp)}`);
  }
  return {
    maxBytes: integer('maxBytes', options.maxBytes, DEFAULT_DOWNLOAD_MAX_BYTES, 1),
    timeoutMs: integer('timeoutMs', options.timeoutMs, DEFAULT_DOWNLOAD_TIMEOUT_MS, 1, MAX_TIMER_MS),
    idleTimeoutMs: integer(
      'idleTimeoutMs',
      options.idleTimeoutMs,
      DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS,
      1,
      MAX_TIMER_MS,
    ),
    maxRedirects: integer('maxRedirects', options.maxRedirects, DEFAULT_DOWNLOAD_MAX_REDIRECTS, 0),
    signal: options.signal,
    onProgress: options.onProgress,
    allowLoopbackHttp: options.allowLoopbackHttp ?? false,
    acceptedMediaTypes: mediaTypes(options.acceptedMediaTypes),
    ca:
      options.ca === undefined
        ? undefined
        : typeof options.ca === 'string' || Buffer.isBuffer(options.ca)
          ? options.ca
          : [...options.ca],
  };
}

/** The longest delay a Node timer keeps (2^31 − 1 ms); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

function integer(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function mediaTypes(value: readonly string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return ARCHIVE_MEDIA_TYPES;
  const list: unknown = value;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid('acceptedMediaTypes must be a non-empty list of media types');
  }
  const types = new Set<string>();
  for (const type of list as unknown[]) {
    if (typeof type !== 'string' || !/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i.test(type)) {
      throw invalid(
        `acceptedMediaTypes must hold media types such as "application/json", got ${JSON.stringify(type)}`,
      );
    }
    types.add(type.toLowerCase());
  }
  return types;
}

function invalid(what: string): TetherError {
  return new TetherError('INVALID_OPTIONS', `Download option ${what}.`);
}
