// What the web host's tests use as "the browser": a tiny UI bundle to serve, and a UI that connects to the
// printed URL as the page would (its own Origin, the token from the URL) with the `ws` package.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Remote } from '@tether/sdk';
import { WebSocketTransport, connectRpc, type RpcPeer } from '@tether/sdk/wire';
import { WEB_UI_SOCKET_PATH } from '../../constants.js';
import { managerApi, type ManagerApi } from '../../manager/manager-api.js';

/** The URL a host prints: `http://127.0.0.1:<port>/?token=<token>`. */
export const WEB_UI_URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/;

/** Writes a UI bundle of one page into `folder` and returns it. */
export async function writeTinyUi(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'index.html'), '<!doctype html><title>Tether (test UI)</title>\n');
  return folder;
}

export interface WebUiClient {
  readonly api: Remote<ManagerApi>;
  readonly peer: RpcPeer;
  dispose(): void;
}

/**
 * Connects to the web host at `pageUrl` (the printed URL) as its page would, or as a page of `origin` that
 * was given the token (the app's DevTools panel).
 */
export async function connectWebUi(
  pageUrl: string,
  options: { readonly origin?: string } = {},
): Promise<WebUiClient> {
  const page = new URL(pageUrl);
  const socket = new WebSocket(
    `ws://${page.host}${WEB_UI_SOCKET_PATH}?token=${page.searchParams.get('token') ?? ''}`,
    { origin: options.origin ?? page.origin },
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const peer = connectRpc(new WebSocketTransport(socket), { role: 'initiator', peerName: 'the web host' });
  return { api: peer.remote(managerApi), peer, dispose: () => peer.dispose() };
}
