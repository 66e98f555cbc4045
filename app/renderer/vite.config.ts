// The UI bundle: one static page (index.html + hashed assets) that the web host serves and the Electron shell
// loads. The page runs under a CSP of `default-src 'self'`, so the build must emit no inline script or style:
// scripts and CSS are separate files, and nothing is evaluated from strings. The same build makes the bundle
// a Chrome DevTools extension too: panel.html (the app's views in a DevTools panel), devtools.html (which
// adds the panel) and manifest.json (devtools-manifest.ts) — docs/app.md "The DevTools panel".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { DEVTOOLS_EXTENSION_PAGES, devtoolsManifestPlugin } from './devtools-manifest.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  root,
  // Relative asset URLs: the same files load from http://127.0.0.1:<port>/ and from a file: or app: URL.
  base: './',
  plugins: [react(), devtoolsManifestPlugin(version)],
  resolve: {
    // `tether-source` resolves the workspace packages to their TypeScript sources (see their exports maps).
    conditions: ['tether-source', ...defaultClientConditions],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // An inlined asset would be a data: URL, which `default-src 'self'` refuses.
    assetsInlineLimit: 0,
    // The preload polyfill is an inline-free module, but the browsers we target support modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      // The page, and the DevTools extension's pages (each becomes <name>.html at the bundle's root).
      input: Object.fromEntries(
        ['index.html', ...DEVTOOLS_EXTENSION_PAGES].map((page) => [
          page.replace(/\.html$/, ''),
          fileURLToPath(new URL(page, import.meta.url)),
        ]),
      ),
    },
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1' },
});
