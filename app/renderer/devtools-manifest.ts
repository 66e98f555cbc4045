// The UI bundle is also a Chrome DevTools extension (Manifest V3): panel.html and devtools.html are inputs of
// the same build as index.html (vite.config.ts), and this plugin writes the extension's manifest.json next
// to them. app/renderer/dist is then both the page's web root and the unpacked extension; the Electron app
// loads a copy of it that holds its connection.json (app/host/devtools-extension.ts).
import type { Plugin } from 'vite';
import { DEVTOOLS_PANEL_PAGE } from './src/constants.js';

/**
 * The extension's public key (RSA, SubjectPublicKeyInfo DER in base64). Chrome derives an unpacked
 * extension's id from the manifest's key when there is one (from its folder's path otherwise), so the id —
 * and the origin the web host must accept, `chrome-extension://<id>` — is the same for every copy, on every
 * machine. Its private key was not kept: it would only sign a .crx, and this extension is never packed.
 */
export const DEVTOOLS_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwNrXg5oMrrQHi//trr2sRechgkWebwQY4UFTGBC178nxaP/mUg/kMMzkSQG8paW+7DPmW54T36Imgt0C5G+QAx/3q7hDxvbNh+ASMXV1EELL2N9BtYxOgu9OO4EYiOEkHtRFqv7SQ9NMuk8ygrjwwZjawZFLGZ/6SWOByHb8e6UgaPMp2r568wJGWnVHiBQboUUmmoPLWCM8GLPVVY1dd3ncudxK76QxtTX4tEo3O0U1tUzghuf/+SQjOvZtWa3Aw7mZgbrlg7CcnlXOLjtJWh7oM2BRBM8c4Rh4plKDD5pEfmxsaGnA/2vPLN9cvnzf1IFiIjKjoIK9PupzAavD0QIDAQAB';

/**
 * The policy of the extension's pages: the web host's (extension-host/src/web/security-headers.ts) — only
 * its own files, no inline script or style, no eval, no plugins — except that it may open a WebSocket to a
 * web host on this machine, wherever connection.json says it listens. Chrome's default for Manifest V3
 * would allow inline styles and any connection.
 */
export const DEVTOOLS_EXTENSION_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The extension's devtools_page: it adds the panel (src/devtools/devtools-page.ts). */
const DEVTOOLS_PAGE = 'devtools.html';

/** The pages of the extension, each an input of the build (vite.config.ts). */
export const DEVTOOLS_EXTENSION_PAGES = [DEVTOOLS_PAGE, DEVTOOLS_PANEL_PAGE] as const;

/** manifest.json for the app at `version` (a Chrome version is 1–4 dot-separated numbers: no pre-release). */
export function devtoolsManifest(version: string): Record<string, unknown> {
  const numeric = version.split(/[-+]/)[0]!;
  return {
    manifest_version: 3,
    name: 'Tether DevTools',
    description:
      'The Tether panel in DevTools: extension logs, RPC traffic and the extension manager of the app under development.',
    version: numeric,
    ...(numeric === version ? {} : { version_name: version }),
    key: DEVTOOLS_EXTENSION_KEY,
    devtools_page: DEVTOOLS_PAGE,
    content_security_policy: { extension_pages: DEVTOOLS_EXTENSION_POLICY },
  };
}

/** Adds manifest.json to the bundle, once the build has made the pages it names. */
export function devtoolsManifestPlugin(version: string): Plugin {
  return {
    name: 'tether-devtools-manifest',
    apply: 'build',
    generateBundle: {
      // After Vite's HTML plugin has added the pages.
      order: 'post',
      handler(_options, bundle) {
        for (const page of DEVTOOLS_EXTENSION_PAGES)
          if (!(page in bundle))
            this.error(`The DevTools extension needs ${page} in the bundle; add it to the build's inputs.`);
        this.emitFile({
          type: 'asset',
          fileName: 'manifest.json',
          source: `${JSON.stringify(devtoolsManifest(version), null, 2)}\n`,
        });
      },
    },
  };
}
