// The page's entry: connect to the host that served it (a WebSocket to /ws with the page's token) and render
// the app. In Electron the preload hands over a MessagePort instead; everything past the transport is the same.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import {
  ConnectionContext,
  ManagerConnection,
  webSocketOpener,
  webSocketUrl,
} from './connection/manager-connection.js';
import { takePageToken } from './connection/page-token.js';
import './styles/app.css';

const token = takePageToken({ location, history, storage: sessionStorageIfAllowed() });
const connection = new ManagerConnection(webSocketOpener(webSocketUrl(location, token)));
connection.start();
window.addEventListener('pagehide', () => connection.dispose());

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
