// The app:// protocol's answers: the UI bundle's files, found as the web host finds them (StaticFiles: no
// traversal out of the folder by `..` in any encoding or by a symbolic link, no dot files), with the web
// host's security headers and a CSP of everything 'self' (extension-host/src/web/security-headers.ts).
// Electron's `protocol.handle` (electron/app-protocol-handler.ts) only turns an answer into a Response.
import { realpath } from 'node:fs/promises';
import {
  StaticFiles,
  contentSecurityPolicy,
  contentTypeOf,
  responseSecurityHeaders,
} from '@tether/extension-host/web';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

/** What to answer a request with: a file's bytes (`file`) or a short text (`text`). */
export interface AppProtocolAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The file to send (a real path inside the bundle's folder); absent for an error. */
  readonly file?: string;
  /** The text of an error answer. */
  readonly text?: string;
}

/** The files of one UI bundle, served as app://tether/. */
export class AppProtocolFiles {
  readonly #files: StaticFiles;

  private constructor(files: StaticFiles) {
    this.#files = files;
  }

  /** The bundle in `folder` (its index.html at the root). Rejects when the folder does not exist. */
  static async open(folder: string): Promise<AppProtocolFiles> {
    return new AppProtocolFiles(new StaticFiles(await realpath(folder)));
  }

  /**
   * The answer to a `method` request for `url`: 200 with the file for GET or HEAD of a file in the bundle
   * (`app://tether/` is its index.html), 404 for anything else in it or another host, 400 for a path that
   * does not decode, 405 for another method. Every answer carries the security headers.
   */
  async answer(url: string, method: string): Promise<AppProtocolAnswer> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refusal(400, 'Not a URL.');
    }
    if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
      return refusal(404, `Only ${APP_SCHEME}://${APP_HOST}/ is served here.`);
    }
    if (method !== 'GET' && method !== 'HEAD') return refusal(405, 'Only GET and HEAD are served here.');
    // `pathname` keeps its percent-encoding; StaticFiles decodes it once and checks what it names.
    const found = await this.#files.lookup(parsed.pathname === '' ? '/' : parsed.pathname);
    if (found === 'bad-request') return refusal(400, 'The path does not decode.');
    if (found === 'not-found') return refusal(404, 'Not found.');
    return {
      status: 200,
      headers: {
        ...pageHeaders,
        'Content-Type': contentTypeOf(found.file),
        'Cache-Control': found.cacheControl,
      },
      file: found.file,
    };
  }
}

/** The web host's headers, with its policy for a page that opens no WebSocket. */
const pageHeaders = responseSecurityHeaders(contentSecurityPolicy());

function refusal(status: number, text: string): AppProtocolAnswer {
  return {
    status,
    headers: { ...pageHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    text,
  };
}
