// Lays out an app's extensions folder for the manager bench: N real extensions, each a folder with a
// package.json manifest (`"activation": "onDemand"`, the shared handshake) and its entry, ONE bundled plugin
// file of its own (esbuild, the sdk from source, minified CommonJS: as bench/lifecycle bundles its children
// and as a plugin should ship), and an empty data folder for the manager's state and log files.
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop as stopEsbuild } from 'esbuild';
import { idleService, managerBenchHandshake } from './children/contract.js';

const pluginSource = fileURLToPath(new URL('./children/idle-extension.ts', import.meta.url));

export interface ExtensionFolders {
  readonly root: string;
  /** The folder the manager scans (one subfolder per extension). */
  readonly extensions: string;
  /** The manager's data folder (state, logs). */
  readonly data: string;
  /** Extension ids (package names), in folder order. */
  readonly ids: readonly string[];
  readonly bundleBytes: number;
  /** Bundling and writing the folders, ms. */
  readonly elapsedMs: number;
  dispose(): Promise<void>;
}

export async function layOutExtensionFolders(count: number): Promise<ExtensionFolders> {
  const began = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'tether-manager-bench-'));
  try {
    const bundle = join(root, 'idle-extension.cjs');
    await build({
      entryPoints: [pluginSource],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      conditions: ['tether-source'],
      minify: true,
      logLevel: 'error',
    });
    // esbuild's service process pings the host every second or so: stopped, so that the idle host's CPU and
    // callbacks are the manager's alone (a later build starts it again).
    await stopEsbuild();
    const extensions = join(root, 'extensions');
    const data = join(root, 'data');
    await mkdir(data);
    const ids = Array.from({ length: count }, (_, i) => `@bench/idle-${String(i + 1).padStart(2, '0')}`);
    await Promise.all(
      ids.map(async (id) => {
        const dir = join(extensions, id.replace('/', '__'));
        await mkdir(dir, { recursive: true });
        await copyFile(bundle, join(dir, 'plugin.cjs'));
        const manifest = {
          name: id,
          version: '1.0.0',
          tether: {
            entry: 'plugin.cjs',
            runner: 'node',
            services: { [idleService.name]: [1] },
            host: '>=0.1.0',
            handshake: managerBenchHandshake,
            activation: 'onDemand',
          },
        };
        await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      }),
    );
    return {
      root,
      extensions,
      data,
      ids,
      bundleBytes: (await stat(bundle)).size,
      elapsedMs: performance.now() - began,
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
