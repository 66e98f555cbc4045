// The web host: the app's UI in a browser, served with ManagerApi over a WebSocket (docs/security.md
// "Browser mode").
export { serveWebUi, WebUiServer, type WebUiOptions, type WebUiRefusal } from './web-ui-server.js';
export { contentSecurityPolicy, responseSecurityHeaders } from './security-headers.js';
// The UI bundle's files and their types, for another host of the same bundle (the Electron app's app://).
export { StaticFiles, type StaticFile, type StaticFileMiss } from './static-files.js';
export { contentTypeOf } from './content-types.js';
export {
  openBrowser,
  removeBrowserRedirect,
  findBrowserOpener,
  type OpenBrowserResult,
  type BrowserOpener,
  type NoBrowserReason,
} from './open-browser.js';
export { uiBundleFolder } from './ui-bundle-folder.js';
