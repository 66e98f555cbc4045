// The UI bundle: one static page (index.html + hashed assets) that the web host serves and the Electron shell
// loads. The page runs under a CSP of `default-src 'self'`, so the build must emit no inline script or style:
// scripts and CSS are separate files, and nothing is evaluated from strings.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the same files load from http://127.0.0.1:<port>/ and from a file: or app: URL.
  base: './',
  plugins: [react()],
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
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1' },
});
