// The headers of every response of the web host: the UI may load only its own files and talk only to its own
// WebSocket, cannot be framed, and leaks no URL (with its token) to anyone. The Electron app serves its app://
// pages with the same headers (app/main/app-protocol.ts), its policy without a WebSocket.

/**
 * The Content-Security-Policy for a page served as `host` (a checked `Host` header: `127.0.0.1:<port>` or
 * `localhost:<port>`), or, without `host`, for a page that opens no WebSocket (the Electron app's, which
 * talks to its host over a MessagePort): everything `'self'` — no inline script or style, no `eval`, no `data:` URL (the
 * bundle inlines nothing: app/renderer/vite.config.ts; the UI turns the `<style>` elements xterm.js injects
 * into constructed stylesheets, which CSP allows: app/renderer/src/terminal/). Added:
 * - `connect-src` names the page's own WebSocket (`ws://<host>`) besides `'self'`: CSP Level 3 makes `'self'`
 *   match the same host and port over ws:, and Chromium does (checked with Chromium 141), but a browser that
 *   implements only CSP Level 2 does not. It is the page's own origin either way: nothing is widened;
 * - what only narrows: no plugins (`object-src`), no `<base>`, no form posts, no framing.
 */
export function contentSecurityPolicy(host?: string): string {
  return [
    "default-src 'self'",
    ...(host === undefined ? [] : [`connect-src 'self' ws://${host}`]),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy of a response that must load nothing (a refusal). */
export const refusedPolicy = "default-src 'none'; frame-ancestors 'none'";

/** The headers every response carries (files, errors, refusals) for a request to `host` (checked). */
export function securityHeaders(host: string | undefined): Record<string, string> {
  // A refused request (unknown Host) gets a page that may load nothing at all.
  return responseSecurityHeaders(host === undefined ? refusedPolicy : contentSecurityPolicy(host));
}

/** The headers every response carries, with `policy` as its Content-Security-Policy. */
export function responseSecurityHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
