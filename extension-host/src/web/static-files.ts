// The UI bundle's files, served from one folder (Vite's `dist/`): a URL path maps to a file inside that
// folder or to nothing. Containment is checked on the resolved path and again on the real path (a symbolic
// link inside the folder may not lead out of it).
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** A file to send: where it is, its size, and how long a browser may keep it. */
export interface StaticFile {
  readonly file: string;
  readonly size: number;
  readonly cacheControl: string;
}

/** Why a path names no file: `bad-request` (not a decodable path) or `not-found` (anything else). */
export type StaticFileMiss = 'bad-request' | 'not-found';

/** Vite's content-hashed build output (`assets/index-B2xkF0aA.js`): the name changes when the file does. */
const hashedAsset = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * The files of one folder. `root` must be the folder's real path (`realpath`), so that containment checks
 * compare like with like.
 */
export class StaticFiles {
  readonly #root: string;

  constructor(realRoot: string) {
    this.#root = realRoot;
  }

  /**
   * The file for a URL path (already without its query): `/` is `index.html`; a path that does not decode,
   * holds a NUL, names a dot file or folder (`.env`, `.git/`), leads outside the folder (`..` encoded in any
   * way, a symbolic link out) or names no regular file is a miss.
   */
  async lookup(urlPath: string): Promise<StaticFile | StaticFileMiss> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return 'bad-request';
    }
    if (decoded.includes('\0') || !decoded.startsWith('/')) return 'bad-request';
    const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
    // Both separators: on Windows a decoded "\" is one.
    if (relative.split(/[/\\]/).some((segment) => segment.startsWith('.'))) return 'not-found';
    const resolved = path.resolve(this.#root, relative);
    if (!this.#contains(resolved)) return 'not-found';
    const real = await realpath(resolved).catch(() => undefined);
    if (real === undefined || !this.#contains(real)) return 'not-found';
    const stats = await stat(real).catch(() => undefined);
    if (stats === undefined || !stats.isFile()) return 'not-found';
    return { file: real, size: stats.size, cacheControl: cacheControlFor(relative.replaceAll('\\', '/')) };
  }

  #contains(file: string): boolean {
    return file.startsWith(this.#root + path.sep);
  }
}

/**
 * `index.html` is never stored (it is opened with the token in its URL, and names the current bundle);
 * Vite's hashed assets are kept for good (a new build has new names); anything else is revalidated.
 */
function cacheControlFor(relative: string): string {
  if (relative === 'index.html') return 'no-store';
  if (hashedAsset.test(relative)) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}
