// How the DevTools panel finds its host: it reads connection.json from its own extension folder (the app
// writes it into the copy it loads: app/host/devtools-extension.ts) before every connection attempt — so a
// host that came back on another port with another token is found again — and opens the WebSocket as the
// app's page does.
import { TetherError, WebSocketTransport } from '@tether/sdk/common';
import type { TransportOpener } from '../connection/manager-connection.js';
import {
  DEVTOOLS_CONNECTION_FILE,
  devtoolsSocketUrl,
  parseDevtoolsConnection,
  type DevtoolsConnection,
} from './devtools-connection.js';

const notPrepared =
  `This copy of the Tether DevTools extension has no ${DEVTOOLS_CONNECTION_FILE}: load the copy the app ` +
  'prepares (prepareDevtoolsExtension, app/host/devtools-extension.ts), not the built UI folder itself.';

/**
 * The connection file next to the panel's page (`base`: the page's address), checked.
 * @throws TetherError INVALID_OPTIONS when it is missing or not what the app writes.
 */
export async function readConnectionFile(
  base: string,
  fetchFile: typeof fetch = fetch,
): Promise<DevtoolsConnection> {
  let response: Response;
  try {
    // Never cached: the app rewrites it when its host restarts.
    response = await fetchFile(new URL(DEVTOOLS_CONNECTION_FILE, base), { cache: 'no-store' });
  } catch (error) {
    // An extension's missing file is a network error, not a 404.
    throw new TetherError('INVALID_OPTIONS', notPrepared, { cause: error });
  }
  if (response.status === 404) throw new TetherError('INVALID_OPTIONS', notPrepared);
  if (!response.ok)
    throw new TetherError(
      'INVALID_OPTIONS',
      `Reading ${DEVTOOLS_CONNECTION_FILE} failed (HTTP ${response.status}); reopen DevTools, or restart the app.`,
    );
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `${DEVTOOLS_CONNECTION_FILE} is not JSON; restart the app to rewrite it.`,
      {
        cause: error,
      },
    );
  }
  return parseDevtoolsConnection(json);
}

/** The panel's opener: the connection file, then a WebSocket to the host it names. */
export function connectionFileOpener(base: string, fetchFile: typeof fetch = fetch): TransportOpener {
  return async () => WebSocketTransport.connect(devtoolsSocketUrl(await readConnectionFile(base, fetchFile)));
}
