// tether pack: an extension folder → `<name>-<version>.tgz`, in npm's package layout.
//
// The archive is made by `npm pack`, not by the tar package with file rules of our own: npm's rules for what
// goes in a package ("files", .npmignore, .gitignore, the files always included or always left out,
// bundled dependencies) are many and change with npm; an extension author has npm, and gets exactly the
// package npm would publish. Scripts are not run (--ignore-scripts): the archive holds the folder as it was
// validated, nothing a prepack script changed afterwards. Build first, then pack.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { parseManifest } from '../manifest/parse-manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { inspectPackageArchive } from './inspect-package-archive.js';

export interface PackExtensionOptions {
  /** The extension folder (its package.json has a valid "tether" section). */
  readonly dir: string;
  /** Where to write the archive (created when missing). Default: the current folder. */
  readonly outDir?: string;
  /** The npm command (tests). Default `npm`. */
  readonly npm?: string;
}

export interface PackedExtension {
  /** The archive written (absolute): `<outDir>/<name>-<version>.tgz`, `@scope/name` → `scope-name-…`. */
  readonly file: string;
  readonly name: string;
  readonly version: string;
  /** The files in the package, relative to `package/`, as npm listed them. */
  readonly files: readonly string[];
  /** Size of the archive, bytes. */
  readonly size: number;
}

/** npm's file name for a package archive: `@acme/kv` 1.2.0 → `acme-kv-1.2.0.tgz`. */
export function packageArchiveName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Validates the manifest of `dir`, packs it with `npm pack`, and checks the result: the archive's own
 * package.json is a valid manifest, and the entry file is in the package (a "files" list or .npmignore
 * that leaves it out, or a build not run yet, would make a package that cannot start). A package that
 * fails the check is deleted.
 * @throws InvalidManifestError for an invalid manifest (every problem listed); TetherError PACK_FAILED when
 *   npm fails or the package misses its entry.
 */
export async function packExtension(options: PackExtensionOptions): Promise<PackedExtension> {
  const dir = path.resolve(options.dir);
  const manifest = await readManifest(dir);
  const outDir = path.resolve(options.outDir ?? '.');
  await mkdir(outDir, { recursive: true });
  const result = await runNpmPack(options.npm ?? 'npm', dir, outDir);
  const file = path.join(outDir, result.filename);
  const expected = packageArchiveName(manifest.name, manifest.version);
  if (result.filename !== expected) {
    throw new TetherError(
      'PACK_FAILED',
      `npm pack wrote ${file}, not ${expected} as expected for ${manifest.name} ${manifest.version}; check the package's name and version.`,
    );
  }
  try {
    const files = result.files.map((entry) => entry.path);
    if (!files.includes(manifest.entry)) {
      throw new TetherError(
        'PACK_FAILED',
        `The package would not contain its entry ${manifest.entry} (tether.entry). Build the extension first, and check that "files" in package.json (or .npmignore) includes it.`,
      );
    }
    const { manifest: packed } = await inspectPackageArchive(file);
    parseManifest(packed.packageJson, `${file} (package/package.json)`);
    return { file, name: manifest.name, version: manifest.version, files, size: result.size };
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

interface NpmPackResult {
  readonly filename: string;
  readonly size: number;
  readonly files: readonly { readonly path: string }[];
}

function runNpmPack(npm: string, dir: string, outDir: string): Promise<NpmPackResult> {
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir];
  // npm is a .cmd script on Windows, which Node runs only through a shell (then the arguments are quoted).
  const windows = process.platform === 'win32';
  return new Promise((resolve, reject) => {
    execFile(
      windows ? `${npm}.cmd` : npm,
      windows ? args.map((arg) => `"${arg}"`) : args,
      { cwd: dir, shell: windows, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          const tail = stderr.trim().split('\n').slice(-5).join('\n');
          reject(
            new TetherError(
              'PACK_FAILED',
              missing
                ? `tether pack runs "npm pack", and npm was not found; install Node.js with npm, or put npm on PATH.`
                : `npm pack failed in ${dir}${tail === '' ? '' : `:\n${tail}`}`,
              { cause: error },
            ),
          );
          return;
        }
        try {
          resolve(parseNpmPackOutput(stdout));
        } catch (parseError) {
          reject(
            new TetherError(
              'PACK_FAILED',
              `npm pack printed something tether cannot read: ${String(parseError)}`,
              {
                cause: parseError,
              },
            ),
          );
        }
      },
    );
  });
}

function parseNpmPackOutput(stdout: string): NpmPackResult {
  const json: unknown = JSON.parse(stdout);
  const first: unknown = Array.isArray(json) ? json[0] : undefined;
  if (typeof first !== 'object' || first === null) throw new Error('no package in its --json output');
  const { filename, size, files } = first as Record<string, unknown>;
  if (typeof filename !== 'string' || typeof size !== 'number' || !Array.isArray(files)) {
    throw new Error('its --json output lacks filename, size or files');
  }
  const paths = files.map((entry: unknown) => {
    const entryPath = (entry as { path?: unknown } | null)?.path;
    if (typeof entryPath !== 'string') throw new Error('a file without a path in its --json output');
    return { path: entryPath };
  });
  return { filename, size, files: paths };
}
