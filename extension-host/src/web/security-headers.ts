// The headers of every response of the web host: the UI may load only its own files and talk only to its own
// WebSocket, cannot be framed, and leaks no URL (with its token) to anyone.

/**
 * The Content-Security-Policy for a page served as `host` (a checked `Host` header: `127.0.0.1:<port>` or
 * `localhost:<port>`): everything `'self'` — no inline script or style, no `eval`, no `data:` URL (the
 * bundle inlines nothing: app/renderer/vite.config.ts; the UI turns the `<style>` elements xterm.js injects
 * into constructed stylesheets, which CSP allows: app/renderer/src/terminal/). Added:
 * - `connect-src` names the page's own WebSocket (`ws://<host>`) besides `'self'`: CSP Level 3 makes `'self'`
 *   match the same host and port over ws:, and Chromium does (checked with Chromium 141), but a browser that
 *   implements only CSP Level 2 does not. It is the page's own origin either way: nothing is widened;
 * - what only narrows: no plugins (`object-src`), no `<base>`, no form posts, no framing.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every response carries (files, errors, refusals) for a request to `host` (checked). */
export function securityHeaders(host: string | undefined): Record<string, string> {
  return {
    // A refused request (unknown Host) gets a page that may load nothing at all.
    'Content-Security-Policy':
      host === undefined ? "default-src 'none'; frame-ancestors 'none'" : contentSecurityPolicy(host),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
