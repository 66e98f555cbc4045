// The UI bundle `npm start` serves: app/renderer/dist, built with Vite when it is missing or older than the
// sources it is made of.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TetherError } from '@tether/sdk';

export interface UiBundleLayout {
  /** app/ (its package.json resolves Vite). */
  readonly appFolder: string;
  /** The repository root: the sdk and manager-api sources the bundle includes are under it. */
  readonly repositoryRoot: string;
}

/** app/renderer/ */
function rendererFolder(layout: UiBundleLayout): string {
  return path.join(layout.appFolder, 'renderer');
}

/** Where Vite writes the bundle: app/renderer/dist (index.html at its root). */
export function uiBundleOutput(layout: UiBundleLayout): string {
  return path.join(rendererFolder(layout), 'dist');
}

/**
 * What the bundle is made of: the renderer's sources and config, the app's package.json, and the
 * workspace code it bundles (the sdk, the ManagerApi contract). Tests aside.
 */
function bundleSources(layout: UiBundleLayout): string[] {
  return [
    rendererFolder(layout),
    path.join(layout.appFolder, 'package.json'),
    path.join(layout.repositoryRoot, 'sdk', 'src'),
    path.join(layout.repositoryRoot, 'extension-host', 'src', 'manager', 'manager-api.ts'),
  ];
}

/** Why the bundle must be built, or undefined when it is up to date. */
export async function staleReason(layout: UiBundleLayout): Promise<string | undefined> {
  const output = uiBundleOutput(layout);
  const built = await stat(path.join(output, 'index.html')).catch(() => undefined);
  if (built === undefined) return 'it is not built yet';
  const excluded = new Set([output, path.join(rendererFolder(layout), 'node_modules')]);
  for (const source of bundleSources(layout)) {
    const newer = await newerFile(source, built.mtimeMs, excluded);
    if (newer !== undefined)
      return `${path.relative(layout.repositoryRoot, newer)} changed since it was built`;
  }
  return undefined;
}

/**
 * Builds the bundle when {@link staleReason} says so (Vite, with app/renderer/vite.config.ts; its output
 * goes to `output`), and returns its folder.
 * @throws TetherError INVALID_OPTIONS when the bundle is missing and cannot be built (no Vite config, a
 *   failed build), saying what to do.
 */
export async function ensureUiBundle(
  layout: UiBundleLayout,
  say: (line: string) => void,
  output: NodeJS.WritableStream = process.stdout,
): Promise<string> {
  const folder = uiBundleOutput(layout);
  const reason = await staleReason(layout);
  if (reason === undefined) return folder;
  const config = path.join(rendererFolder(layout), 'vite.config.ts');
  const built = existsSync(path.join(folder, 'index.html'));
  if (!existsSync(config)) {
    if (built) return folder;
    throw new TetherError(
      'INVALID_OPTIONS',
      `There is no UI to serve: ${folder} is missing and ${config} does not exist to build it. Pass a built UI with --ui-root <dir>.`,
    );
  }
  say(`building the UI (${reason})…`);
  const status = await runVite(layout.appFolder, config, output);
  if (status !== 0) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `Building the UI failed (vite build exited with ${status}; its output is above). Fix it, or run "npm run build -w app" to see it alone.`,
    );
  }
  return folder;
}

async function runVite(
  appFolder: string,
  config: string,
  output: NodeJS.WritableStream,
): Promise<number | string> {
  const requireFromApp = createRequire(path.join(appFolder, 'package.json'));
  const vitePackage = requireFromApp.resolve('vite/package.json');
  const { bin } = JSON.parse(await readFile(vitePackage, 'utf8')) as { bin: { vite: string } };
  const viteBin = path.join(path.dirname(vitePackage), bin.vite);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--config', config], {
      cwd: appFolder,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(output, { end: false });
    child.stderr.pipe(output, { end: false });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? signal ?? 1));
  });
}

/** The first file under `source` (a file or folder) modified after `since`, skipping `excluded` and tests. */
async function newerFile(
  source: string,
  since: number,
  excluded: ReadonlySet<string>,
): Promise<string | undefined> {
  if (excluded.has(source)) return undefined;
  const stats = await stat(source).catch(() => undefined);
  if (stats === undefined) return undefined;
  if (stats.isFile()) return stats.mtimeMs > since && !/\.test(-d)?\.tsx?$/.test(source) ? source : undefined;
  if (!stats.isDirectory()) return undefined;
  for (const entry of await readdir(source)) {
    if (entry.startsWith('.') || entry === 'node_modules') continue;
    const newer = await newerFile(path.join(source, entry), since, excluded);
    if (newer !== undefined) return newer;
  }
  return undefined;
}
