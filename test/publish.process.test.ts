// The packages as an extension author gets them: packed by npm (prepack builds them), installed into a new
// project outside this repository (in a folder with a space in its name), the README's example compiled
// with tsc — strict, NodeNext, no skipLibCheck — and run; the tarballs' contents checked; the API reports
// compared with the build.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackages, checkApiReports } from '../scripts/api-report.mjs';
import { codeBlocks, namedFiles } from './support/code-blocks.js';
import {
  installTarballs,
  packWorkspaces,
  tarballFiles,
  type PackedPackage,
} from './support/packed-packages.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
/** Packing builds both packages from clean; installing resolves their dependencies from npm's cache. */
const SETUP_TIMEOUT_MS = 400_000;
const RUN_TIMEOUT_MS = 60_000;

let scratch: string;
let project: string;
let packed: PackedPackage[];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'tether publish '));
  packed = await packWorkspaces(['sdk', 'extension-host'], path.join(scratch, 'tarballs'));
  project = path.join(scratch, 'my greeter app');
  await mkdir(project);
  await installTarballs(project, packed);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

/** An extension folder's package.json for the README's greeter, with the contract's own handshake. */
async function writeGreeterManifest(folder: string, name: string, entry: string): Promise<void> {
  // The contract's module imports the packed sdk.
  const { handshake } = (await import(path.join(project, 'greeter.ts'))) as { handshake: unknown };
  await mkdir(folder, { recursive: true });
  await writeFile(
    path.join(folder, 'package.json'),
    JSON.stringify({
      name,
      version: '1.0.0',
      type: 'module',
      tether: { entry, services: { greeter: [1] }, host: '>=0.1.0', handshake },
    }),
  );
}

const packageNamed = (name: string): PackedPackage => {
  const found = packed.find((each) => each.name === name);
  if (found === undefined) throw new Error(`${name} was not packed`);
  return found;
};

describe.each(['@tether/sdk', '@tether/extension-host'])('the %s tarball', (name) => {
  it('has the build, its types and maps, README, LICENSE and engines, and no tests', async () => {
    const files = await tarballFiles(packageNamed(name).tarball);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js']));
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/index.js.map');
    expect(
      files.filter((file) => /\.test\.ts$|test-fixtures\/|test-support\/|tsbuildinfo$/.test(file)),
    ).toEqual([]);
    const manifest = JSON.parse(
      await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { engines?: { node?: string } };
    expect(manifest.engines?.node).toBe('>=20.19');
    expect(await readFile(path.join(project, 'node_modules', name, 'LICENSE'), 'utf8')).toBe(
      await readFile(path.join(root, 'LICENSE'), 'utf8'),
    );
  });

  it('ships every target of every export condition', async () => {
    const files = new Set(await tarballFiles(packageNamed(name).tarball));
    const manifest = JSON.parse(
      await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { exports: Record<string, string | Record<string, string>> };
    const targets = Object.values(manifest.exports).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.values(target),
    );
    expect(targets.length).toBeGreaterThan(3);
    expect(targets.map((target) => target.replace(/^\.\//, '')).filter((file) => !files.has(file))).toEqual(
      [],
    );
  });

  it('has source maps whose sources are shipped', async () => {
    const files = await tarballFiles(packageNamed(name).tarball);
    const shipped = new Set(files);
    const missing: string[] = [];
    for (const map of files.filter((file) => file.endsWith('.map'))) {
      const { sources } = JSON.parse(
        await readFile(path.join(project, 'node_modules', name, map), 'utf8'),
      ) as { sources: string[] };
      for (const source of sources) {
        const file = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
        if (!shipped.has(file)) missing.push(`${map} → ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the README example in a project of its own', () => {
  const blocks = async () => codeBlocks(await readFile(path.join(root, 'README.md'), 'utf8'));

  beforeAll(async () => {
    for (const block of await blocks()) await writeFile(path.join(project, block.file), block.code);
    await writeGreeterManifest(path.join(project, 'extensions', 'greeter'), 'greeter', 'plugin.js');
  });

  it('has the contract, plugin, host and manager example', async () => {
    expect((await blocks()).map((block) => block.file)).toEqual([
      'greeter.ts',
      'plugin.ts',
      'host.ts',
      'app.ts',
    ]);
  });

  it('compiles with tsc: strict, NodeNext, no skipLibCheck', async () => {
    await run(
      process.execPath,
      [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      {
        cwd: project,
        timeout: RUN_TIMEOUT_MS,
      },
    ).catch((error: Error & { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout ?? error.message}`);
    });
  });

  it('runs the host + plugin pair and prints the greeting', async () => {
    const { stdout } = await run(process.execPath, ['host.js'], { cwd: project, timeout: RUN_TIMEOUT_MS });
    expect(stdout.trim()).toBe('Hello, world!');
  });

  it('runs the manager example: found, started on first use, stopped by dispose', async () => {
    for (const file of ['greeter.js', 'plugin.js']) {
      await writeFile(
        path.join(project, 'extensions', 'greeter', file),
        await readFile(path.join(project, file), 'utf8'),
      );
    }
    const { stdout } = await run(process.execPath, ['app.js'], { cwd: project, timeout: RUN_TIMEOUT_MS });
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      'greeter is stopped',
      'greeter is starting',
      'greeter is running',
      'Hello, manager!',
      'greeter is stopping',
      'greeter is stopped',
    ]);
  });
});

describe('the guides (docs/guides)', () => {
  it('have snippets that compile against the packed packages', async () => {
    const guides = (await readdir(path.join(root, 'docs', 'guides'))).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(guides.length).toBeGreaterThanOrEqual(5);
    let written = 0;
    for (const guide of guides) {
      const markdown = await readFile(path.join(root, 'docs', 'guides', guide), 'utf8');
      for (const block of namedFiles(markdown)) {
        const file = path.join(project, 'guides', guide.replace(/\.md$/, ''), block.file);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, block.code);
        written += 1;
      }
    }
    expect(written).toBeGreaterThan(guides.length);
    await run(
      process.execPath,
      [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      { cwd: project, timeout: RUN_TIMEOUT_MS },
    ).catch((error: Error & { stdout?: string }) => {
      throw new Error(`tsc failed on the guides' snippets:\n${error.stdout ?? error.message}`);
    });
  });
});

describe('the tether CLI installed from the tarball', () => {
  const tether = () => path.join(project, 'node_modules', '@tether', 'extension-host', 'bin', 'tether.js');

  it("runs an extension whose entry is TypeScript (through the project's tsx)", async () => {
    const extension = path.join(project, 'ts greeter');
    await writeGreeterManifest(extension, 'ts-greeter', 'plugin.ts');
    for (const file of ['greeter.ts', 'plugin.ts']) {
      await writeFile(path.join(extension, file), await readFile(path.join(project, file), 'utf8'));
    }
    const { stdout } = await run(
      process.execPath,
      [tether(), 'run', extension, '--call', 'greeter.greet', 'world', '--json'],
      { cwd: project, timeout: RUN_TIMEOUT_MS },
    );
    expect(stdout.trim()).toBe('"Hello, world!"');
  });

  it('prints usage and exits 2 without a command', async () => {
    const failure = await run(process.execPath, [tether()], { cwd: project, timeout: RUN_TIMEOUT_MS }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/tether run <extension-dir>/);
  });
});

describe('the API reports', () => {
  it(
    'match the build (npm run api-report rewrites them)',
    () => {
      // The packs may have come from the cache: build what they hold (quick when dist is up to date).
      buildPackages();
      expect(checkApiReports()).toEqual({ changed: [], missing: [] });
    },
    SETUP_TIMEOUT_MS,
  );
});
