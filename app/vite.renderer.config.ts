// Vite config of the UI for Electron Forge (forge.config.ts): the UI bundle's own config
// (renderer/vite.config.ts), written where Forge's Vite plugin puts a renderer and the main process looks
// for it, .vite/renderer/<name>/. The plugin sets that folder itself, but a config file wins over the
// plugin's defaults, and the bundle's config names its own folder (renderer/dist/).
import path from 'node:path';
import { defineConfig, mergeConfig, type ConfigEnv } from 'vite';
import rendererConfig from './renderer/vite.config.js';

/** What Forge's Vite plugin adds to Vite's ConfigEnv: the repository, and the renderer being built. */
interface ForgeRendererEnv extends ConfigEnv {
  readonly root: string;
  readonly forgeConfigSelf: { readonly name: string };
}

export default defineConfig((env) => {
  const { root, forgeConfigSelf } = env as ForgeRendererEnv;
  return mergeConfig(rendererConfig, {
    build: { outDir: path.join(root, '.vite', 'renderer', forgeConfigSelf.name) },
  });
});
