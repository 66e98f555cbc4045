// The page's entry: connect to the host and render the app. In the Electron app (the preload's `window.tether`
// is there) the connection is a MessagePort the main process hands over; in a browser, a WebSocket to the
// host that served the page (/ws with the page's token). Everything past the transport is the same.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { electronBridge, electronPortOpener } from './connection/electron-port-opener.js';
import {
  ConnectionContext,
  ManagerConnection,
  webSocketOpener,
  webSocketUrl,
  type TransportOpener,
} from './connection/manager-connection.js';
import { takePageToken } from './connection/page-token.js';
import './styles/app.css';

const connection = new ManagerConnection(pageTransportOpener());
connection.start();
window.addEventListener('pagehide', () => connection.dispose());

/** The Electron app's port when the preload's bridge is there, else the WebSocket of the page's host. */
function pageTransportOpener(): TransportOpener {
  const bridge = electronBridge(window);
  if (bridge !== undefined) return electronPortOpener(window, bridge);
  const token = takePageToken({ location, history, storage: sessionStorageIfAllowed() });
  return webSocketOpener(webSocketUrl(location, token));
}

/** The tab's session storage; undefined where the browser refuses it (storage disabled). */
function sessionStorageIfAllowed(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <ConnectionContext value={connection}>
      <App />
    </ConnectionContext>
  </StrictMode>,
);
