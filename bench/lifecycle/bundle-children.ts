// Bundles every lifecycle child into one plain CommonJS file (TypeScript and the sdk from source, esbuild) so
// it starts as in production, `node child.cjs`: no tsx loader, whose tens of ms would swamp what is
// measured. CommonJS because that is how we tell authors to ship a plugin: Node 20's ESM loader costs 4–5 ms
// more CPU at start than a CommonJS entry, and minifying saves ~2.7 ms of parsing (measured here;
// docs/performance.md). Every approach's child is built the same way.
// Also lays out the Tether plugin unbundled (each sdk module its own file), to show what bundling saves.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const CHILD_NAMES = [
  'tether-plugin',
  'raw-unix-child',
  'raw-ipc-child',
  'vscode-jsonrpc-child',
  'birpc-child',
  'comlink-child',
] as const;
export type ChildName = (typeof CHILD_NAMES)[number];

export interface ChildBundles {
  readonly dir: string;
  /** The bundled `.cjs` of each child. */
  readonly files: Readonly<Record<ChildName, string>>;
  /** The Tether plugin with the sdk as separate modules (transpiled one to one, as `tsc` would emit). */
  readonly unbundledTetherPlugin: string;
  /** How many sdk modules the unbundled layout holds (the plugin loads those its imports reach). */
  readonly unbundledSdkFiles: number;
  readonly bundleBytes: Readonly<Record<ChildName, number>>;
  readonly elapsedMs: number;
  dispose(): Promise<void>;
}

const childrenDir = fileURLToPath(new URL('./children/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const sdkSrc = join(repoRoot, 'sdk', 'src');

export async function bundleChildren(): Promise<ChildBundles> {
  const began = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'tether-lifecycle-'));
  try {
    await build({
      entryPoints: CHILD_NAMES.map((name) => join(childrenDir, `${name}.ts`)),
      outdir: join(dir, 'bundled'),
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      conditions: ['tether-source'],
      minify: true,
      logLevel: 'error',
    });
    const files = {} as Record<ChildName, string>;
    const bundleBytes = {} as Record<ChildName, number>;
    for (const name of CHILD_NAMES) {
      files[name] = join(dir, 'bundled', `${name}.cjs`);
      bundleBytes[name] = (await stat(files[name])).size;
    }
    const unbundled = await layOutUnbundled(join(dir, 'unbundled'));
    return {
      dir,
      files,
      ...unbundled,
      bundleBytes,
      elapsedMs: performance.now() - began,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The sdk transpiled file by file (imports keep their `.js` paths, so the tree runs as is), and the plugin
 * entry bundled with every sdk import left pointing into that tree: Node resolves and loads each module.
 */
async function layOutUnbundled(
  out: string,
): Promise<{ unbundledTetherPlugin: string; unbundledSdkFiles: number }> {
  const sources = (await readdir(sdkSrc, { recursive: true }))
    .filter((file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file) && !file.includes('test-'))
    .map((file) => join(sdkSrc, file));
  await build({
    entryPoints: sources,
    outbase: repoRoot,
    outdir: out,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  await writeFile(join(out, 'package.json'), '{ "type": "module" }\n');
  const sdkIndex = join(out, 'sdk', 'src', 'index.js');
  const sdkExternal: Plugin = {
    name: 'sdk-external',
    setup(b) {
      b.onResolve({ filter: /^@tether\/sdk$/ }, () => ({ path: sdkIndex, external: true }));
    },
  };
  const entry = join(out, 'tether-plugin.mjs');
  await build({
    entryPoints: [join(childrenDir, 'tether-plugin.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [sdkExternal],
    logLevel: 'error',
  });
  return { unbundledTetherPlugin: entry, unbundledSdkFiles: sources.length };
}
