// Vite config of the Node entries Electron Forge builds (forge.config.ts): the main process and the pty
// broker. Forge's Vite plugin adds the rest (externals: Electron and Node's built-in modules; output in
// .vite/build/). Here: ES modules, not Forge's CommonJS default, because package.json says "type": "module"
// and the host finds the broker by `import.meta.url`; node-pty left out of the bundle (native, shipped in
// node_modules); the workspace packages bundled from their TypeScript sources; the build's RunAsNode fuse.
import { defineConfig, type ConfigEnv } from 'vite';
import { runAsNodeFuse } from './main/run-as-node.js';

/** What Forge's Vite plugin adds to Vite's ConfigEnv: the forge.config.ts build entry being built. */
interface ForgeBuildEnv extends ConfigEnv {
  readonly forgeConfigSelf: { readonly entry: string };
}

export default defineConfig((env) => ({
  build: {
    lib: {
      entry: (env as ForgeBuildEnv).forgeConfigSelf.entry,
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
    // node-pty: native, shipped in node_modules. esbuild, tsx, vite: only the development-only samples chunk
    // reaches them (it bundles the samples on a first run); bundled, esbuild could not find its binary.
    rollupOptions: { external: ['node-pty', 'esbuild', 'tsx', 'vite'] },
  },
  resolve: { conditions: ['tether-source'] },
  // The RunAsNode fuse forge.config.ts sets, so the pty runner knows which Node it has (main/run-as-node.ts).
  define: { __TETHER_RUN_AS_NODE__: JSON.stringify(runAsNodeFuse(process.env)) },
}));
