// The layout of installed extensions in the manager's install folder (docs/packaging.md, "Installed layout"):
//
//   <installFolder>/<id>/<version>/…        the unpacked package of each kept version (`@scope/name` nests)
//   <installFolder>/<id>/active.json        which version runs, its entry's SHA-256 and its signature status
//   <installFolder>/.staging-<random>/      an install in progress (removed at the next start if left over)
//
// The active pointer is the one thing an install switches, atomically: before the switch the old version
// runs, after it the new one; a crash at any step leaves one of the two.
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../manager/atomic-file.js';

export const ACTIVE_RECORD_FILE = 'active.json';
export const STAGING_PREFIX = '.staging-';
const FORMAT = 1;

/** What `active.json` says about an installed extension. */
export interface ActiveRecord {
  /** The version that runs. */
  readonly version: string;
  /**
   * Its folder in `<id>/`, when not named after the version: a forced reinstall of the same version goes to
   * a new folder (`<version>+reinstall.<time>`), so the pointer switch stays the one step that changes it.
   */
  readonly folder?: string;
  /** The folder of the version that ran before the last upgrade, kept until the new one has started. */
  readonly previous?: string;
  /** SHA-256 of the entry file, recorded at install; checked at every launch (CHECKSUM_MISMATCH). */
  readonly entrySha256: string;
  /** Whether the package was signed by a trusted publisher (false: installed unsigned, for development). */
  readonly signed: boolean;
  /** The publisher key that signed it, and the name the user or app trusted it under. */
  readonly keyId?: string;
  readonly publisher?: string;
  /** When it was installed (ms since the epoch). */
  readonly installedAt: number;
}

/** The folder name of the version a record makes active. */
export function activeFolderName(record: ActiveRecord): string {
  return record.folder ?? record.version;
}

/** The folder of one extension's versions: `<installFolder>/<id>` (a scoped id nests under its scope). */
export function extensionHome(installFolder: string, id: string): string {
  return path.join(installFolder, ...id.split('/'));
}

/** Reads `<home>/active.json`; undefined when there is none or it is not a valid record. */
export async function readActiveRecord(home: string): Promise<ActiveRecord | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(home, ACTIVE_RECORD_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const { format, version, folder, previous, entrySha256, signed, keyId, publisher, installedAt } = record;
  if (format !== FORMAT || typeof version !== 'string' || !isVersionFolderName(version)) return undefined;
  if (typeof entrySha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entrySha256)) return undefined;
  if (typeof signed !== 'boolean' || typeof installedAt !== 'number') return undefined;
  if (folder !== undefined && (typeof folder !== 'string' || !isVersionFolderName(folder))) return undefined;
  return {
    version,
    ...(folder === undefined ? {} : { folder }),
    ...(typeof previous === 'string' && isVersionFolderName(previous) ? { previous } : {}),
    entrySha256,
    signed,
    ...(typeof keyId === 'string' ? { keyId } : {}),
    ...(typeof publisher === 'string' ? { publisher } : {}),
    installedAt,
  };
}

/** Switches the active pointer: temp file, fsync, rename, fsync of the folder. */
export async function writeActiveRecord(home: string, record: ActiveRecord): Promise<void> {
  await writeFileAtomic(
    path.join(home, ACTIVE_RECORD_FILE),
    `${JSON.stringify({ format: FORMAT, ...record }, null, 2)}\n`,
    0o644,
  );
}

/**
 * Removes an extension's whole folder (`home`, in `installFolder`) so that a crash in the middle cannot leave
 * part of it: it is renamed into a staging folder first (atomic: it is gone or whole), then deleted — what a
 * crash leaves is a staging folder, removed at the next start.
 */
export async function removeExtensionHome(installFolder: string, home: string): Promise<void> {
  const trash = await mkdtemp(path.join(installFolder, STAGING_PREFIX));
  try {
    await rename(home, path.join(trash, 'removed')).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  } finally {
    await rm(trash, { recursive: true, force: true });
  }
}

/** A version as a folder name: a semantic version's characters only (no separators, no `..`). */
export function isVersionFolderName(name: string): boolean {
  return /^[0-9A-Za-z][0-9A-Za-z.+-]{0,127}$/.test(name) && !name.includes('..');
}

/**
 * Removes what an interrupted install or upgrade left behind: staging folders, version folders of an
 * extension that its active record does not name (as `version` or `previous`), and the temporary files of
 * an interrupted switch of its pointer (`.active.json.<random>.tmp`). Extensions without a valid
 * record are left alone (a hand-made folder; discovery lists it as it is). Run at the manager's start, before
 * anything is installed.
 */
export async function cleanInstallLeftovers(installFolder: string): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(installFolder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const child = path.join(installFolder, entry.name);
    if (entry.name.startsWith(STAGING_PREFIX)) {
      await rm(child, { recursive: true, force: true });
      removed.push(child);
    } else if (entry.name.startsWith('@')) {
      const scoped = await readdir(child, { withFileTypes: true }).catch(() => []);
      for (const inner of scoped)
        if (inner.isDirectory()) removed.push(...(await cleanVersions(path.join(child, inner.name))));
    } else {
      removed.push(...(await cleanVersions(child)));
    }
  }
  return removed;
}

async function cleanVersions(home: string): Promise<string[]> {
  const record = await readActiveRecord(home);
  if (record === undefined) return [];
  const keep = new Set([activeFolderName(record), record.previous]);
  const removed: string[] = [];
  for (const entry of await readdir(home, { withFileTypes: true }).catch(() => [])) {
    const pointerTemp = entry.isFile() && entry.name.startsWith(`.${ACTIVE_RECORD_FILE}.`);
    if (!pointerTemp && (!entry.isDirectory() || keep.has(entry.name))) continue;
    const leftover = path.join(home, entry.name);
    await rm(leftover, { recursive: true, force: true });
    removed.push(leftover);
  }
  return removed;
}
