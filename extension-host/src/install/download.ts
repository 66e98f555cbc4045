import { AbortedError } from '@tether/sdk';
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, dirname, join } from 'node:path';
import { DOWNLOAD_PROGRESS_INTERVAL_MS } from '../constants.js';
import {
  type DownloadOptions,
  type DownloadProgress,
  type ResolvedDownloadOptions,
  resolveDownloadOptions,
} from './download-options.js';
import { checkContentType, checkDownloadUrl, checkRedirect, redact } from './download-policy.js';
import { InstallError } from './install-error.js';

/** A package downloaded by {@link downloadPackage}. */
export interface DownloadedPackage {
  /** Where it was written: the `destination` given. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** SHA-512 of its bytes, lowercase hex. */
  readonly sha512: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads a package archive from `url` to `destination`, over HTTPS only: plain HTTP only to this machine
 * and only with `allowLoopbackHttp` (development); a URL of any other kind is refused before any
 * connection. Redirects are followed by hand, at most `maxRedirects`, each only to HTTPS.
 *
 * The body goes to a temporary file next to `destination` (hashed on the way), which is synced and renamed
 * over `destination` once complete, so `destination` is only ever absent or whole; the temporary file is
 * removed on every failure. `onProgress` hears at most every `DOWNLOAD_PROGRESS_INTERVAL_MS`, and once at
 * the end.
 *
 * Fails with {@link InstallError}: `DOWNLOAD_REFUSED` (not HTTPS, a redirect off HTTPS, an untrusted
 * certificate), `DOWNLOAD_FAILED` (no connection, a status other than 2xx, a web page instead of an
 * archive, a redirect loop), `DOWNLOAD_TOO_LARGE` (announced or received over `maxBytes`),
 * `DOWNLOAD_TIMEOUT` (over `timeoutMs` in all, or silent for `idleTimeoutMs`), `DOWNLOAD_INCOMPLETE` (the
 * connection ended before the announced size); with `AbortedError` (`ABORTED`) when `signal` aborts, and
 * `TetherError('INVALID_OPTIONS')` for bad options.
 */
export async function downloadPackage(
  url: string,
  destination: string,
  options?: DownloadOptions,
): Promise<DownloadedPackage> {
  const resolved = resolveDownloadOptions(options);
  let current = checkDownloadUrl(url, resolved.allowLoopbackHttp);
  const download = new Download(resolved, destination);
  try {
    for (let redirects = 0; ; redirects += 1) {
      const response = await download.get(current);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.destroy();
        if (redirects >= resolved.maxRedirects) {
          throw new InstallError(
            'DOWNLOAD_FAILED',
            `The server at ${redact(current)} redirected more than ${resolved.maxRedirects} times (a ` +
              'redirect loop?). Check the package URL.',
          );
        }
        current = checkRedirect(current, location, resolved.allowLoopbackHttp);
        continue;
      }
      return await download.save(current, response);
    }
  } catch (error) {
    throw await download.fail(error);
  }
}

/** The state of one download: its deadline timers, the request in flight, the temporary file. */
class Download {
  private failure: Error | undefined;
  private request: ClientRequest | undefined;
  private file: FileHandle | undefined;
  private readonly temporary: string;
  private readonly deadline: NodeJS.Timeout;
  private readonly onAbort = (): void => this.stop(new AbortedError('The download was cancelled.'));

  constructor(
    private readonly options: ResolvedDownloadOptions,
    private readonly destination: string,
  ) {
    this.temporary = join(
      dirname(destination),
      `.${basename(destination)}.${randomBytes(6).toString('hex')}.download`,
    );
    this.deadline = setTimeout(() => {
      this.stop(
        new InstallError(
          'DOWNLOAD_TIMEOUT',
          `The download took longer than ${options.timeoutMs} ms and was stopped. Try again on a faster ` +
            'connection, or allow more time (timeoutMs).',
        ),
      );
    }, options.timeoutMs).unref();
    if (options.signal?.aborted === true) this.onAbort();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Sends a GET and resolves with the answer's head. */
  get(url: URL): Promise<IncomingMessage> {
    this.throwIfFailed();
    return new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, {
        method: 'GET',
        agent: false,
        headers: {
          accept: 'application/gzip, application/octet-stream;q=0.9, */*;q=0.1',
          'accept-encoding': 'identity',
          'user-agent': 'tether-installer',
        },
        ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
        timeout: this.options.idleTimeoutMs,
      });
      this.request = request;
      request.on('timeout', () => {
        this.stop(
          new InstallError(
            'DOWNLOAD_TIMEOUT',
            `The server at ${redact(url)} sent nothing for ${this.options.idleTimeoutMs} ms and the download ` +
              'was stopped. Try again later; if it keeps happening, the server is overloaded or gone.',
          ),
        );
      });
      request.on('error', (error) => reject(this.failure ?? connectionFailure(url, error)));
      request.on('response', (response) => {
        // An answer can fail before its body is read (the connection resets): the error is seen by whoever
        // reads it next, and must not go unhandled until then.
        response.on('error', () => undefined);
        resolve(response);
      });
      request.end();
    });
  }

  /** Checks the answer and streams its body to the temporary file, then renames it into place. */
  async save(url: URL, response: IncomingMessage): Promise<DownloadedPackage> {
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.destroy();
      throw new InstallError(
        'DOWNLOAD_FAILED',
        `The server at ${redact(url)} answered ${status} ${response.statusMessage ?? ''}`.trimEnd() +
          (status === 401 || status === 403
            ? '. The package needs a sign-in that the installer cannot give; download it yourself and ' +
              'install the file.'
            : status === 404
              ? '. Check the package URL.'
              : '. Try again later, or check the package URL.'),
      );
    }
    checkContentType(url, response.headers['content-type'], this.options.acceptedMediaTypes);
    const total = contentLength(response);
    if (total !== undefined && total > this.options.maxBytes) {
      response.destroy();
      throw tooLarge(url, `announces ${total} bytes, over`, this.options.maxBytes);
    }

    this.file = await open(this.temporary, 'wx', 0o644).catch((error: Error) => {
      throw writeFailure(this.temporary, error);
    });
    const hash = createHash('sha512');
    const started = performance.now();
    let bytes = 0;
    let lastReport = Number.NEGATIVE_INFINITY;
    const report = (force: boolean): void => {
      const now = performance.now();
      if (!force && now - lastReport < DOWNLOAD_PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      this.options.onProgress?.(progress(bytes, total, now - started));
    };
    report(true);
    const body = (response as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await body.next();
      } catch (error) {
        throw this.failure ?? brokenBody(url, error as NodeJS.ErrnoException);
      }
      this.throwIfFailed();
      if (next.done === true) break;
      const chunk = next.value;
      bytes += chunk.length;
      if (bytes > this.options.maxBytes) throw tooLarge(url, 'sends more than', this.options.maxBytes);
      hash.update(chunk);
      await this.file.write(chunk).catch((error: Error) => {
        throw writeFailure(this.temporary, error);
      });
      report(false);
    }
    if (total !== undefined && bytes < total) {
      throw new InstallError(
        'DOWNLOAD_INCOMPLETE',
        `The download from ${redact(url)} ended after ${bytes} of ${total} bytes. Try again.`,
      );
    }
    try {
      await this.file.sync();
      await this.file.close();
      this.file = undefined;
      await rename(this.temporary, this.destination);
    } catch (error) {
      throw writeFailure(this.destination, error as Error);
    }
    this.dispose();
    report(true);
    return { path: this.destination, bytes, sha512: hash.digest('hex') };
  }

  /** Cleans up after a failure and returns the error to throw (the first cause, if one was recorded). */
  async fail(error: unknown): Promise<unknown> {
    const failure = this.failure ?? error;
    this.stop(failure instanceof Error ? failure : new Error(String(failure)));
    this.dispose();
    await this.file?.close().catch(() => undefined);
    this.file = undefined;
    await rm(this.temporary, { force: true });
    return failure;
  }

  /** Records the first failure and tears the request down with it. */
  private stop(error: Error): void {
    this.failure ??= error;
    this.request?.destroy(this.failure);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private dispose(): void {
    clearTimeout(this.deadline);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}

function progress(bytes: number, total: number | undefined, elapsedMs: number): DownloadProgress {
  const bytesPerSecond = elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0;
  if (total === undefined) return { bytes, bytesPerSecond };
  return { bytes, total, percent: total === 0 ? 100 : Math.min(100, (bytes / total) * 100), bytesPerSecond };
}

function contentLength(response: IncomingMessage): number | undefined {
  const header = response.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

function tooLarge(url: URL, what: string, maxBytes: number): InstallError {
  return new InstallError(
    'DOWNLOAD_TOO_LARGE',
    `The package at ${redact(url)} ${what} the download cap of ${maxBytes} bytes, and was not ` +
      'downloaded. If it is genuine, raise the cap (maxBytes).',
  );
}

function writeFailure(path: string, error: Error): InstallError {
  return new InstallError(
    'DOWNLOAD_FAILED',
    `Could not write the download to ${path}: ${error.message}. Check the free disk space and the ` +
      'permissions of the folder.',
    { cause: error },
  );
}

/** The body stream failed: the connection broke (reset, or closed early) while the package arrived. */
function brokenBody(url: URL, error: NodeJS.ErrnoException): InstallError {
  return new InstallError(
    'DOWNLOAD_INCOMPLETE',
    `The connection to ${redact(url)} broke before the whole package arrived (${error.code ?? error.message}). ` +
      'Try again.',
    { cause: error },
  );
}

/** A request error before the answer arrived. */
function connectionFailure(url: URL, error: NodeJS.ErrnoException): InstallError {
  const code = error.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new InstallError(
      'DOWNLOAD_REFUSED',
      `Refused to download from ${redact(url)}: its HTTPS certificate is not trusted (${code}: ` +
        `${error.message}). Check the URL; behind a company proxy, give its CA certificate (ca).`,
      { cause: error },
    );
  }
  return new InstallError(
    'DOWNLOAD_FAILED',
    `Could not download from ${redact(url)}: ${error.message}. Check the URL and the network connection.`,
    { cause: error },
  );
}
