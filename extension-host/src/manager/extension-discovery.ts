import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isTetherError } from '@tether/sdk';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import { InvalidManifestError } from '../manifest/invalid-manifest-error.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { activeFolderName, readActiveRecord, type ActiveRecord } from '../install/install-layout.js';

/** One extension folder found by discovery: valid (with its manifest) or not (with every problem). */
export type DiscoveredExtension =
  | {
      readonly kind: 'valid';
      readonly id: string;
      readonly folder: string;
      readonly manifest: ExtensionManifest;
      /** For an extension installed by the manager: its active record (version, entry checksum, signature). */
      readonly install?: ActiveRecord;
    }
  | {
      readonly kind: 'invalid';
      readonly id: string;
      readonly folder: string;
      readonly install?: ActiveRecord;
      /** Name and version when package.json could be read that far. */
      readonly version?: string;
      readonly code: string;
      readonly problems: readonly string[];
    };

/**
 * Finds the extensions in `folders`. A folder that itself holds a package.json is one extension (an author's
 * development folder); any other folder is an extensions folder, and each of its sub-folders (and each
 * package in an `@scope` sub-folder) is an extension. Folders whose name starts with `.` are skipped (temp
 * folders of installs in progress). Nothing is hidden: a folder without a valid manifest, or that needs another
 * host version, is listed as invalid with its problems. Two folders with the same extension id: the first found
 * wins, the other is invalid ("also installed at …").
 */
export async function discoverExtensions(folders: readonly string[]): Promise<DiscoveredExtension[]> {
  const candidates: Candidate[] = [];
  for (const folder of folders) candidates.push(...(await extensionFolders(path.resolve(folder))));
  const found = await Promise.all(candidates.map((candidate) => inspect(candidate)));
  const seen = new Map<string, string>();
  return found.map((extension) => {
    const first = seen.get(extension.id);
    if (first === undefined) {
      seen.set(extension.id, extension.folder);
      return extension;
    }
    return {
      kind: 'invalid',
      id: `${extension.id}@${extension.folder}`,
      folder: extension.folder,
      code: 'INVALID_MANIFEST',
      problems: [
        `another copy of "${extension.id}" is installed at ${first}, which is used; remove one of them`,
      ],
    };
  });
}

/** A folder that should hold an extension; for an installed one, the record that chose its version. */
interface Candidate {
  readonly folder: string;
  readonly install?: ActiveRecord;
}

async function extensionFolders(folder: string): Promise<Candidate[]> {
  if (await isFile(path.join(folder, 'package.json'))) return [{ folder }];
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    // A missing extensions folder is an empty one (nothing installed yet); the manager watches for it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const result: Candidate[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = path.join(folder, entry.name);
    if (entry.name.startsWith('@') && !(await isFile(path.join(child, 'package.json')))) {
      const scoped = await readdir(child, { withFileTypes: true }).catch(() => []);
      for (const inner of scoped.sort((a, b) => a.name.localeCompare(b.name))) {
        if (inner.isDirectory() && !inner.name.startsWith('.'))
          result.push(await candidate(path.join(child, inner.name)));
      }
    } else {
      result.push(await candidate(child));
    }
  }
  return result;
}

/**
 * An extension folder: the folder itself, or — for one installed by the manager (`active.json` beside its
 * version folders, see install/install-layout.ts) — its active version's folder.
 */
async function candidate(folder: string): Promise<Candidate> {
  if (await isFile(path.join(folder, 'package.json'))) return { folder };
  const install = await readActiveRecord(folder);
  return install === undefined
    ? { folder }
    : { folder: path.join(folder, activeFolderName(install)), install };
}

async function inspect({ folder, install }: Candidate): Promise<DiscoveredExtension> {
  const installed = install === undefined ? {} : { install };
  try {
    const manifest = await readManifest(folder);
    checkHostCompatibility(manifest);
    return { kind: 'valid', id: manifest.name, folder, manifest, ...installed };
  } catch (error) {
    const identity = await readIdentity(folder);
    const problems =
      error instanceof InvalidManifestError
        ? error.problems
        : [error instanceof Error ? error.message : String(error)];
    return {
      kind: 'invalid',
      id: identity.name ?? path.basename(install === undefined ? folder : path.dirname(folder)),
      folder,
      ...installed,
      ...(identity.version === undefined ? {} : { version: identity.version }),
      code: isTetherError(error) ? error.code : 'INVALID_MANIFEST',
      problems,
    };
  }
}

/** The name and version of a package.json that failed validation, when they at least are strings. */
async function readIdentity(folder: string): Promise<{ name?: string; version?: string }> {
  try {
    const json = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as unknown;
    if (typeof json !== 'object' || json === null) return {};
    const { name, version } = json as Record<string, unknown>;
    return {
      ...(typeof name === 'string' && name !== '' ? { name } : {}),
      ...(typeof version === 'string' ? { version } : {}),
    };
  } catch {
    return {};
  }
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
