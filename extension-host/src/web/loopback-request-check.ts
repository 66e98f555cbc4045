// The web host's defence against DNS rebinding and against other web pages: a request must name the host
// it is really for (`Host: 127.0.0.1:<port>` or `localhost:<port>`), and the WebSocket must be opened by a
// page of that same origin. A page of evil.example whose name was re-pointed at 127.0.0.1 sends
// `Host: evil.example:<port>`; a page of any other origin sends its own `Origin`. Browsers set both headers
// themselves: a script cannot forge them.

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

/** Whether `origin` (the WebSocket upgrade's `Origin` header) is the web host's own. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && allowedOrigins(port).includes(origin.toLowerCase());
}
