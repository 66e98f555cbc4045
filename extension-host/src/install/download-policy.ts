import { isIPv4 } from 'node:net';
import { InstallError } from './install-error.js';

/**
 * What a package download may fetch and accept: HTTPS only (plain HTTP only to this machine, when the
 * caller allows it for development), redirects only to HTTPS, and an answer that may be an archive.
 */

/** Media types accepted as a package archive (a missing Content-Type is accepted too). */
export const ARCHIVE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/gzip',
  'application/x-gzip',
  'application/x-tgz',
  'application/x-compressed-tar',
  'application/x-tar',
  'application/x-gtar',
  'application/octet-stream',
  'binary/octet-stream', // Amazon S3's default
]);

/** True for a host name that is this machine: `localhost`, 127.0.0.0/8, `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/** Parses the URL given to `downloadPackage`; `DOWNLOAD_REFUSED` when it is none or not allowed. */
export function checkDownloadUrl(url: string, allowLoopbackHttp: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InstallError(
      'DOWNLOAD_REFUSED',
      `Cannot download ${JSON.stringify(url)}: it is not a URL. Give an https:// URL of a package (.tgz).`,
    );
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) {
      throw new InstallError(
        'DOWNLOAD_REFUSED',
        `Refused to download ${redact(parsed)} over plain HTTP: packages are downloaded over HTTPS only. ` +
          'Use an https:// URL.',
      );
    }
    if (!allowLoopbackHttp) {
      throw new InstallError(
        'DOWNLOAD_REFUSED',
        `Refused to download ${redact(parsed)} over plain HTTP: HTTP to this machine is allowed only for ` +
          'development, when asked for (allowLoopbackHttp). Use an https:// URL.',
      );
    }
    return parsed;
  }
  throw new InstallError(
    'DOWNLOAD_REFUSED',
    `Refused to download ${redact(parsed)}: only https:// URLs are downloaded, not ${parsed.protocol}. ` +
      'To install a file on this machine, give its path instead of a URL.',
  );
}

/**
 * Checks a redirect target: HTTPS always; plain HTTP only from plain HTTP on this machine to this machine
 * (development), and never from HTTPS (a downgrade). `DOWNLOAD_REFUSED` otherwise, naming both URLs.
 */
export function checkRedirect(from: URL, location: string, allowLoopbackHttp: boolean): URL {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new InstallError(
      'DOWNLOAD_FAILED',
      `The server at ${redact(from)} redirected to ${JSON.stringify(location)}, which is not a URL. ` +
        'Check the package URL, or ask the server owner.',
    );
  }
  if (to.protocol === 'https:') return to;
  if (
    to.protocol === 'http:' &&
    from.protocol === 'http:' &&
    allowLoopbackHttp &&
    isLoopbackHost(to.hostname) &&
    isLoopbackHost(from.hostname)
  ) {
    return to;
  }
  throw new InstallError(
    'DOWNLOAD_REFUSED',
    `Refused to follow the redirect from ${redact(from)} to ${redact(to)}: redirects are followed only to ` +
      'https:// URLs. Use a URL that serves the package over HTTPS.',
  );
}

/**
 * Checks the Content-Type of the answer: one of `accepted` (by default the archive types), or none. A web
 * page (a login or error page served with status 200) is the common case refused here, with
 * `DOWNLOAD_FAILED`.
 */
export function checkContentType(
  url: URL,
  contentType: string | undefined,
  accepted: ReadonlySet<string> = ARCHIVE_MEDIA_TYPES,
): void {
  if (contentType === undefined) return;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === '' || accepted.has(mediaType)) return;
  const page = mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
  const expected = accepted === ARCHIVE_MEDIA_TYPES ? 'a package archive' : [...accepted].join(' or ');
  throw new InstallError(
    'DOWNLOAD_FAILED',
    `The server at ${redact(url)} answered with ${mediaType}, not ${expected}` +
      (page ? ' (a web page: perhaps a login or error page)' : '') +
      '. Check that the URL points at the file itself, and that no sign-in is needed.',
  );
}

/** The URL for messages: without user name, password, query or fragment, which may hold secrets. */
export function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
