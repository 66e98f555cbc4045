// The web host's defence against DNS rebinding and against other web pages: a request must name the host
// it is really for (`Host: 127.0.0.1:<port>` or `localhost:<port>`), and the WebSocket must be opened by a
// page of that same origin. A page of evil.example whose name was re-pointed at 127.0.0.1 sends
// `Host: evil.example:<port>`; a page of any other origin sends its own `Origin`. Browsers set both headers
// themselves: a script cannot forge them. The one exception is opt-in: the origins a host names as extra
// (`chrome-extension://<id>`, the app's DevTools panel), each matched exactly.
import { TetherError } from '@tether/sdk';

/** The host names the web host answers to (it listens on 127.0.0.1 only). */
const loopbackNames = ['127.0.0.1', 'localhost'] as const;

/** `127.0.0.1:<port>` and `localhost:<port>`: the only acceptable `Host` headers. */
export function allowedHosts(port: number): string[] {
  return loopbackNames.map((name) => `${name}:${port}`);
}

/** `http://127.0.0.1:<port>` and `http://localhost:<port>`: the only acceptable `Origin` headers. */
export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

/**
 * The request's `Host` header when it is one the web host answers to (lower-cased), else undefined. A
 * missing header (HTTP/1.0) is refused too.
 */
export function checkedHost(host: string | undefined, port: number): string | undefined {
  if (host === undefined) return undefined;
  const lower = host.toLowerCase();
  return allowedHosts(port).includes(lower) ? lower : undefined;
}

/**
 * An origin as a browser sends it in `Origin`: `scheme://host[:port]` in lower case, nothing after the host
 * (no path, no trailing slash, no wildcard). `null` and `*` are not origins.
 */
const SERIALIZED_ORIGIN =
  /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * The web host's `extraOrigins` option, checked: each must be an origin exactly as a browser sends it
 * (`chrome-extension://<id>`, `http://127.0.0.1:5173`), so that comparing strings is an exact match.
 * @throws TetherError INVALID_OPTIONS for anything else, saying which entry and why.
 */
export function checkedExtraOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  if (origins === undefined) return new Set();
  if (!Array.isArray(origins))
    throw new TetherError('INVALID_OPTIONS', 'extraOrigins must be an array of origins (strings).');
  for (const origin of origins) {
    if (typeof origin !== 'string' || !SERIALIZED_ORIGIN.test(origin)) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `extraOrigins: ${JSON.stringify(origin)} is not an origin as a browser sends it; write scheme://host[:port] in lower case with nothing after it, e.g. chrome-extension://<extension id>.`,
      );
    }
  }
  return new Set(origins);
}

/**
 * Whether `origin` (the WebSocket upgrade's `Origin` header) is the web host's own, or one of the `extra`
 * origins it was told to accept (exact match).
 */
export function isAllowedOrigin(
  origin: string | undefined,
  port: number,
  extra: ReadonlySet<string> = new Set(),
): boolean {
  if (origin === undefined) return false;
  return allowedOrigins(port).includes(origin.toLowerCase()) || extra.has(origin);
}
