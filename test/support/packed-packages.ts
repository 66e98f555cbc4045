// The workspace packages packed as npm publishes them, and a project outside the repository that installs
// the tarballs: what an extension author gets (test/publish.process.test.ts, the scaffold's test).
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

/** `npm pack` of the workspace folders into `destination` (each package's prepack builds it). */
export async function packWorkspaces(
  folders: readonly string[],
  destination: string,
): Promise<PackedPackage[]> {
  await mkdir(destination, { recursive: true });
  const { stdout } = await run(
    npm,
    ['pack', '--json', '--pack-destination', destination, ...folders.flatMap((folder) => ['-w', folder])],
    { cwd: root, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
  );
  // Lifecycle scripts may print before the JSON array.
  const json = stdout.slice(stdout.search(/^\[/m));
  const packed = JSON.parse(json) as { name: string; version: string; filename: string }[];
  return packed.map(({ name, version, filename }) => ({
    name,
    version,
    tarball: path.join(destination, filename),
  }));
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
