// The UI bundle the web host serves (app/renderer/dist), built by Vite when missing or older than its
// sources: once per test run, under a lock (test files run in parallel workers).
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileLock } from './file-lock.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const renderer = join(root, 'app', 'renderer');
export const uiBundleDir = join(renderer, 'dist');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}

/** The bundle holds the renderer's sources and the sdk's browser-safe part: either changing makes it stale. */
async function isFresh(): Promise<boolean> {
  const built = await stat(join(uiBundleDir, 'index.html')).catch(() => undefined);
  if (built === undefined) return false;
  const sources = await Promise.all([newestSource(renderer), newestSource(join(root, 'sdk', 'src'))]);
  return built.mtimeMs >= Math.max(...sources);
}

let ready: Promise<string> | undefined;

/** The bundle's folder, built first if needed. */
export function ensureUiBundle(): Promise<string> {
  ready ??= withFileLock(join(tmpdir(), 'tether-ui-build.lock'), async () => {
    if (await isFresh()) return uiBundleDir;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--config',
          join(renderer, 'vite.config.ts'),
          '--logLevel',
          'warn',
        ],
        // Vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
        {
          cwd: join(root, 'app'),
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, NODE_ENV: 'production' },
        },
      );
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
      );
    });
    return uiBundleDir;
  });
  return ready;
}
