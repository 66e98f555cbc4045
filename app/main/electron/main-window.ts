// Electron glue: the main window and the guards on every web page of the app. Each decision is a function
// of ../security-policy.ts; this file only hangs them on Electron's events (docs/security.md, "The Electron
// app").
import {
  BrowserWindow,
  MessageChannelMain,
  type MessagePortMain,
  type Session,
  type WebContents,
} from 'electron';
import { PORT_MESSAGE, REQUEST_PORT_CHANNEL } from '../../preload/tether-bridge.js';
import { APP_START_URL } from '../app-origin.js';
import type { AppLayout } from '../app-layout.js';
import type { PortChannel, RendererPorts } from '../renderer-ports.js';
import {
  isAllowedNavigation,
  isDevToolsPage,
  isTrustedSender,
  permissionDecision,
  windowOpenRefusal,
} from '../security-policy.js';
import { mainWindowOptions } from '../window-options.js';

/** Told of everything refused (a sentence: "a navigation to https://…"), for the log. */
export type Refused = (what: string) => void;

/** A channel for the port hand-off: MessageChannelMain's ports are Node-style emitters, as the sdk wants. */
export function createMainChannel(): PortChannel<MessagePortMain> {
  const { port1, port2 } = new MessageChannelMain();
  return { port1, port2 };
}

/**
 * Guards one web page (every webContents the app creates: `app.on('web-contents-created')`): navigation
 * only within the trusted origins (DevTools' own pages excepted), no new windows, no `<webview>`
 * (checklist 11–14).
 */
export function guardWebContents(contents: WebContents, origins: readonly string[], refused: Refused): void {
  const navigation = (event: { url: string; preventDefault(): void }): void => {
    if (isAllowedNavigation(event.url, origins) || isDevToolsPage(contents.getURL())) return;
    event.preventDefault();
    refused(`a navigation to ${event.url}`);
  };
  contents.on('will-navigate', navigation);
  contents.on('will-frame-navigate', navigation);
  contents.on('will-redirect', navigation);
  contents.setWindowOpenHandler(({ url }) => {
    refused(`a new window for ${url}`);
    return windowOpenRefusal;
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    refused('a <webview>');
  });
}

/** Permissions: granted only as permissionDecision says (none), devices never (checklist 5). */
export function guardSession(session: Session, origins: readonly string[], refused: Refused): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = permissionDecision(permission, details.requestingUrl, origins);
    if (!granted) refused(`the permission "${permission}" asked by ${details.requestingUrl}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionDecision(permission, requestingOrigin, origins),
  );
  session.setDevicePermissionHandler(() => false);
}

export interface MainWindowInput {
  readonly layout: AppLayout;
  readonly origins: readonly string[];
  readonly ports: RendererPorts<MessagePortMain>;
  readonly version: string;
  readonly refused: Refused;
  /** Says what went wrong (the UI failed to load). */
  readonly say: (line: string) => void;
}

/**
 * Opens the main window on the UI and answers its page's port requests: only from its top frame on a
 * trusted origin (checklist 17); its connection is closed when it navigates, its renderer goes or it closes.
 */
export function createMainWindow(input: MainWindowInput): BrowserWindow {
  const { layout, origins, ports, refused } = input;
  const window = new BrowserWindow(mainWindowOptions({ preload: layout.preload, version: input.version }));
  const contents = window.webContents;
  const id = contents.id;
  contents.ipc.on(REQUEST_PORT_CHANNEL, (event) => {
    if (!isTrustedSender(event.senderFrame, origins)) {
      refused(`a port request from ${event.senderFrame?.url ?? 'a frame that is gone'}`);
      return;
    }
    ports.handOff({ id, post: (port) => contents.postMessage(PORT_MESSAGE, null, [port]) });
  });
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) ports.release(id);
  });
  contents.on('render-process-gone', () => ports.release(id));
  contents.once('destroyed', () => ports.release(id));
  window.once('ready-to-show', () => window.show());
  const url = layout.renderer.kind === 'dev-server' ? layout.renderer.url : APP_START_URL;
  window.loadURL(url).catch((error: unknown) => {
    input.say(`the UI did not load from ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return window;
}
