// The contract between the Electron app and its DevTools panel: the file the app writes into its copy of the
// DevTools extension (app/host/devtools-extension.ts) and the panel reads before every connection attempt
// (./connection-file.ts). One file, imported by both sides; it runs in a browser and in Node.
import { TetherError } from '@tether/sdk/common';

/** The file's name, at the extension's root (next to manifest.json). */
export const DEVTOOLS_CONNECTION_FILE = 'connection.json';

/** What it holds: where the web host's WebSocket is, and its token. */
export interface DevtoolsConnection {
  /**
   * The web host's WebSocket without the token, `ws://127.0.0.1:<port>/ws` (`WebUiServer.webSocketUrl`). The
   * host must accept the panel's origin (`extraOrigins: ['chrome-extension://<id>']`).
   */
  readonly url: string;
  /** The web host's access token (`WebUiServer.token`); the panel adds it as `?token=`. */
  readonly token: string;
}

/**
 * `value` (the file's parsed JSON) checked: a `ws:` or `wss:` URL with no query or fragment (the token goes
 * apart) and a non-empty token.
 * @throws TetherError INVALID_OPTIONS saying what is wrong and who writes the file.
 */
export function parseDevtoolsConnection(value: unknown): DevtoolsConnection {
  const problem = (what: string): TetherError =>
    new TetherError(
      'INVALID_OPTIONS',
      `${DEVTOOLS_CONNECTION_FILE} ${what}; it is written by the app (prepareDevtoolsExtension in app/host/devtools-extension.ts) as {"url": "ws://127.0.0.1:<port>/ws", "token": "…"}.`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw problem('is not an object');
  const { url, token } = value as Record<string, unknown>;
  if (typeof url !== 'string') throw problem('has no "url"');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem(`has a "url" that is not a URL (${JSON.stringify(url)})`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw problem(`has a "url" that is not a WebSocket's (ws: or wss:): ${JSON.stringify(url)}`);
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '')
    throw problem('has a "url" with a query, fragment or credentials (the token goes in "token")');
  if (typeof token !== 'string' || token === '') throw problem('has no "token"');
  return { url, token };
}

/** The address the panel opens: the connection's URL with its token. */
export function devtoolsSocketUrl(connection: DevtoolsConnection): string {
  return `${connection.url}?token=${encodeURIComponent(connection.token)}`;
}
