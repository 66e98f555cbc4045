// When npm start rebuilds the UI: missing, or older than a source it is made of.
import { readFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureUiBundle, staleReason, type UiBundleLayout } from './ui-bundle.js';

let root: string;
let layout: UiBundleLayout;

/** Sets a file's modification time to `seconds` (since the epoch). */
async function touch(file: string, seconds: number, text = 'x'): Promise<void> {
  await writeFile(file, text);
  await utimes(file, seconds, seconds);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-ui-bundle-'));
  layout = { appFolder: join(root, 'app'), repositoryRoot: root };
  await mkdir(join(root, 'app', 'renderer', 'src'), { recursive: true });
  await mkdir(join(root, 'sdk', 'src'), { recursive: true });
  await touch(join(root, 'app', 'package.json'), 1000, '{"name": "app", "type": "module"}');
  await touch(join(root, 'app', 'renderer', 'src', 'app.tsx'), 1000);
  await touch(join(root, 'sdk', 'src', 'index.ts'), 1000);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function build(seconds: number): Promise<void> {
  await mkdir(join(root, 'app', 'renderer', 'dist'), { recursive: true });
  await touch(join(root, 'app', 'renderer', 'dist', 'index.html'), seconds, '<!doctype html>');
}

describe('staleReason', () => {
  it('says so when the bundle is not built', async () => {
    expect(await staleReason(layout)).toBe('it is not built yet');
  });

  it('is undefined when the bundle is newer than every source', async () => {
    await build(2000);
    expect(await staleReason(layout)).toBeUndefined();
  });

  it('names the first source changed since the build; tests do not count', async () => {
    await build(2000);
    await touch(join(root, 'app', 'renderer', 'src', 'app.test.tsx'), 3000);
    await touch(join(root, 'sdk', 'src', 'index.test.ts'), 3000);
    expect(await staleReason(layout)).toBeUndefined();
    await touch(join(root, 'sdk', 'src', 'index.ts'), 3000);
    expect(await staleReason(layout)).toBe(`${join('sdk', 'src', 'index.ts')} changed since it was built`);
  });
});

describe('ensureUiBundle', () => {
  it('returns an up-to-date bundle as it is, without building', async () => {
    await build(2000);
    const said: string[] = [];
    expect(await ensureUiBundle(layout, (line) => said.push(line))).toBe(
      join(root, 'app', 'renderer', 'dist'),
    );
    expect(said).toEqual([]);
  });

  it('serves a stale bundle when there is no Vite config to rebuild it with; fails when there is none', async () => {
    await expect(ensureUiBundle(layout, () => undefined)).rejects.toThrow(/There is no UI to serve/);
    await build(500);
    expect(await ensureUiBundle(layout, () => undefined)).toBe(join(root, 'app', 'renderer', 'dist'));
  });

  it('builds a missing bundle with Vite and the renderer’s config', async () => {
    const renderer = join(root, 'app', 'renderer');
    // Vite resolved from the app's folder, as in the repository.
    await symlink(
      fileURLToPath(new URL('../../node_modules', import.meta.url)),
      join(root, 'app', 'node_modules'),
    );
    await writeFile(
      join(renderer, 'index.html'),
      '<!doctype html><title>built</title><script type="module" src="./src/main.js"></script>\n',
    );
    await writeFile(join(renderer, 'src', 'main.js'), 'document.title = "ran";\n');
    await writeFile(
      join(renderer, 'vite.config.ts'),
      `export default { root: ${JSON.stringify(renderer)}, logLevel: 'silent', build: { outDir: ${JSON.stringify(join(renderer, 'dist'))}, emptyOutDir: true } };\n`,
    );
    const said: string[] = [];
    let viteOutput = '';
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        viteOutput += chunk.toString();
        done();
      },
    });
    const folder = await ensureUiBundle(layout, (line) => said.push(line), output);
    expect(said).toEqual(['building the UI (it is not built yet)…']);
    expect(await readFile(join(folder, 'index.html'), 'utf8')).toContain('<title>built</title>');
    expect(await staleReason(layout), viteOutput).toBeUndefined();
  }, 120_000);
});
