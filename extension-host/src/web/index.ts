// The web host: the app's UI in a browser, served with ManagerApi over a WebSocket (docs/security.md
// "Browser mode").
export { serveWebUi, WebUiServer, type WebUiOptions, type WebUiRefusal } from './web-ui-server.js';
export { contentSecurityPolicy } from './security-headers.js';
export {
  openBrowser,
  removeBrowserRedirect,
  findBrowserOpener,
  type OpenBrowserResult,
  type BrowserOpener,
  type NoBrowserReason,
} from './open-browser.js';
export { uiBundleFolder } from './ui-bundle-folder.js';
