// The DevTools panel's entry (panel.html, in the app's Chrome DevTools extension): the app's frame in its
// panel flavour — Logs, RPC, Extensions — connected to the host that the extension's connection.json names
// (src/devtools/connection-file.ts), over the same WebSocket transport as the page. Everything past the
// transport is the page's.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { ConnectionContext, ManagerConnection } from './connection/manager-connection.js';
import { connectionFileOpener } from './devtools/connection-file.js';
import './styles/app.css';

const connection = new ManagerConnection(connectionFileOpener(location.href));
connection.start();
window.addEventListener('pagehide', () => connection.dispose());

const root = document.getElementById('root');
if (root === null) throw new Error('panel.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <ConnectionContext value={connection}>
      <App flavour="panel" />
    </ConnectionContext>
  </StrictMode>,
);
