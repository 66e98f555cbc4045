// Where the app's own pages come from. A packaged app loads its UI from app://tether/ (app-protocol.ts) —
// never file://, whose pages get privileges no web page has (Electron's security checklist, 18). During
// development (`electron-forge start`) Forge's Vite plugin serves it from a dev server on localhost instead,
// with hot reload; that origin is trusted then, and only then.

export const APP_SCHEME = 'app';
export const APP_HOST = 'tether';
/** The app's origin, as Chromium spells it once `app:` is registered as a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window opens. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of an absolute URL with a host and no user name or password, else undefined.
 * Not `URL.origin`: Node's URL gives `'null'` for a scheme it does not know (such as `app:`), where
 * Chromium, told that `app:` is standard, gives `app://tether`.
 */
export function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.host === '' || parsed.username !== '' || parsed.password !== '') return undefined;
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * The origins the app's own pages come from: app://tether and, in development only, the dev server's
 * (accepted only on the loopback interface, over http).
 */
export function trustedOrigins(devServerUrl: string | undefined): readonly string[] {
  const devOrigin = devServerUrl === undefined ? undefined : originOf(devServerUrl);
  return devOrigin !== undefined && isLoopbackHttp(devOrigin) ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN];
}

function isLoopbackHttp(origin: string): boolean {
  const { protocol, hostname } = new URL(origin);
  return (
    protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]')
  );
}
