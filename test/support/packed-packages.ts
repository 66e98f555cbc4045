// The workspace packages packed as npm publishes them, and a project outside the repository that installs
// the tarballs: what an extension author gets (test/publish.process.test.ts, the scaffold's test).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { list } from 'tar';
import { withPackLock } from './pack-lock.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the .tgz. */
  readonly tarball: string;
}

/** The workspace packages a test may pack; the tarballs are cached by the content of them all. */
const PACKABLE = ['sdk', 'extension-host', 'create-tether-extension'];
/** Where packed tarballs are kept, by content key, so that the tests of one run pack each package once. */
const PACK_CACHE = path.join(root, 'node_modules', '.cache', 'tether-packs');

/**
 * `npm pack` of the workspace folders (each package's prepack builds it from clean), copied into
 * `destination`. One pack at a time across test workers (./pack-lock.ts); a package already packed from
 * the same sources (every file of the packable packages, committed or not) is taken from the cache.
 */
export function packWorkspaces(folders: readonly string[], destination: string): Promise<PackedPackage[]> {
  return withPackLock(async () => {
    const cache = path.join(PACK_CACHE, await sourcesKey());
    const missing: string[] = [];
    for (const folder of folders) {
      if (!(await exists(path.join(cache, `${folder}.json`)))) missing.push(folder);
    }
    if (missing.length > 0) await packInto(missing, cache);
    await mkdir(destination, { recursive: true });
    const packed: PackedPackage[] = [];
    for (const folder of folders) {
      const entry = JSON.parse(await readFile(path.join(cache, `${folder}.json`), 'utf8')) as PackedPackage;
      const tarball = path.join(destination, path.basename(entry.tarball));
      await copyFile(entry.tarball, tarball);
      packed.push({ ...entry, tarball });
    }
    return packed;
  });
}

/** Packs `folders` into `cache`, recording each as `<folder>.json` once its tarball is complete. */
async function packInto(folders: readonly string[], cache: string): Promise<void> {
  // Other keys are packs of older sources: stale.
  for (const key of await readdir(PACK_CACHE).catch(() => [])) {
    if (path.join(PACK_CACHE, key) !== cache)
      await rm(path.join(PACK_CACHE, key), { recursive: true, force: true });
  }
  await mkdir(cache, { recursive: true });
  const { stdout } = await run(
    npm,
    ['pack', '--json', '--pack-destination', cache, ...folders.flatMap((folder) => ['-w', folder])],
    { cwd: root, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
  );
  // Lifecycle scripts may print before the JSON array.
  const json = stdout.slice(stdout.search(/^\[/m));
  const packed = JSON.parse(json) as { name: string; version: string; filename: string }[];
  for (const [index, { name, version, filename }] of packed.entries()) {
    const entry: PackedPackage = { name, version, tarball: path.join(cache, filename) };
    await writeFile(path.join(cache, `${folders[index]!}.json`), JSON.stringify(entry));
  }
}

/** A hash of every file (tracked, or untracked and not ignored) of the packable packages. */
async function sourcesKey(): Promise<string> {
  const { stdout } = await run('git', ['ls-files', '-z', '-co', '--exclude-standard', '--', ...PACKABLE], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const hash = createHash('sha256');
  for (const file of stdout.split('\0').filter(Boolean).sort()) {
    hash.update(file).update('\0');
    hash.update(await readFile(path.join(root, file)).catch(() => Buffer.from('(deleted)')));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The files of a tarball, relative to its package folder. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const files: string[] = [];
  await list({
    file: tarball,
    onReadEntry: (entry) => void files.push(entry.path.replace(/^package\//, '')),
  });
  return files.sort();
}

/** The version of a package installed at the repository's root (to install the same, from npm's cache). */
export async function rootVersionOf(name: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/**
 * Makes `project` an ES-module TypeScript project (strict, NodeNext, no skipLibCheck; compiled in place)
 * depending on the tarballs, with typescript, @types/node and tsx as the repository has them, and installs
 * it.
 */
export async function installTarballs(project: string, packed: readonly PackedPackage[]): Promise<void> {
  await writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'tether-author-project',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(packed.map(({ name, tarball }) => [name, `file:${tarball}`])),
        devDependencies: {
          typescript: await rootVersionOf('typescript'),
          '@types/node': await rootVersionOf('@types/node'),
          // For `tether run` on an extension whose entry is TypeScript.
          tsx: await rootVersionOf('tsx'),
        },
      },
      null,
      2,
    )}\n`,
  );
  await writeFile(
    path.join(project, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['*.ts', 'src/**/*.ts', 'guides/**/*.ts'],
      },
      null,
      2,
    )}\n`,
  );
  await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
}
