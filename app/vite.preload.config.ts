// Vite config of the preload, which Electron Forge builds (forge.config.ts) as Forge's Vite plugin sets it
// up: one CommonJS file, .vite/build/preload.js, since a sandboxed preload is a classic script that can
// `require` only 'electron' and a few Node modules. The workspace packages come from their sources.
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['tether-source', ...defaultClientConditions] },
});
