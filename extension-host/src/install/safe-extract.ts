import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ARCHIVE_FOLDER } from '../constants.js';
import { readArchive } from './archive-reader.js';
import { type ExtractLimits, resolveExtractLimits } from './extract-limits.js';
import { InstallError } from './install-error.js';

/** A package unpacked by {@link extractPackage}. */
export interface ExtractedPackage {
  /** The package's folder, `<destination>/package`: the archive's `package/` folder is kept, not stripped. */
  readonly root: string;
  /** Files unpacked (folders not counted). */
  readonly files: number;
  /** Sum of the files' sizes, in bytes. */
  readonly bytes: number;
}

/**
 * Unpacks a package archive (`.tgz`, npm-pack layout: every entry under `package/`) into `destination`, a
 * fresh staging folder (absent, or empty), with node-tar and hardened settings, and returns its package
 * folder `<destination>/package`.
 *
 * Every entry is vetted from its header before anything of it is written (`archive-entry-vetter.ts`): only
 * files and folders inside `package/`; no absolute paths, `..` segments, symlinks, hard links, devices or
 * FIFOs; no two names that are one on a case-insensitive or Unicode-normalising file system; caps on the
 * entry count, entry size, total size and decompression ratio (`ExtractLimits`), the last two checked as
 * the bytes stream, so a gzip bomb stops after a few MiB. An entry that breaks a rule is never skipped: the
 * whole extraction fails. The archive is read twice: a first pass vets all of it and writes nothing (so a
 * hostile archive never touches the disk), the second vets again as it writes (the file is not trusted to
 * stay the same in between).
 *
 * Files get mode 0o644, or 0o755 when executable in the archive, folders 0o755, less the process umask:
 * never setuid, setgid, sticky or world-writable. Owners are never taken from the archive, even as root.
 *
 * Fails with {@link InstallError}: `UNSAFE_ARCHIVE` naming the entry and the rule; `PACKAGE_CORRUPT` for
 * input that is not a complete gzip-compressed tar archive with a `package/` folder; `EXTRACT_FAILED` when
 * the archive cannot be read, writing fails (disk full, permissions) or `destination` is not a fresh
 * folder. With `TetherError('INVALID_OPTIONS')` for bad limits. On every failure `destination` is left as
 * it was found: removed if this call created it, emptied otherwise.
 */
export async function extractPackage(
  archive: string,
  destination: string,
  limits?: ExtractLimits,
): Promise<ExtractedPackage> {
  const resolved = resolveExtractLimits(limits);
  const created = await prepareDestination(destination);
  try {
    await readArchive(archive, resolved);
    const totals = await readArchive(archive, resolved, destination);
    const root = join(destination, PACKAGE_ARCHIVE_FOLDER);
    const stats = await lstat(root).catch(() => undefined);
    if (stats?.isDirectory() !== true) {
      throw new InstallError(
        'PACKAGE_CORRUPT',
        `The package archive ${archive} holds no "${PACKAGE_ARCHIVE_FOLDER}/" folder. Packages made by ` +
          '`tether pack` or `npm pack` keep everything there; make the package again with `tether pack`.',
      );
    }
    return { root, files: totals.files, bytes: totals.bytes };
  } catch (error) {
    await clearDestination(destination, created);
    throw error;
  }
}

/** Creates `destination` if absent (then returns true), or checks that it is an empty real folder. */
async function prepareDestination(destination: string): Promise<boolean> {
  const stats = await lstat(destination).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new InstallError(
      'EXTRACT_FAILED',
      `Cannot use ${destination} as the staging folder: ${error.message}. Give the install a staging ` +
        'folder of its own in a writable folder.',
      { cause: error },
    );
  });
  if (stats === undefined) {
    await mkdir(destination, { mode: 0o700 }).catch((error: Error) => {
      throw new InstallError(
        'EXTRACT_FAILED',
        `Cannot create the staging folder ${destination}: ${error.message}. Check that its parent folder ` +
          'exists and is writable.',
        { cause: error },
      );
    });
    return true;
  }
  if (!stats.isDirectory() || (await readdir(destination)).length > 0) {
    throw new InstallError(
      'EXTRACT_FAILED',
      `Cannot unpack into ${destination}: it must be a fresh staging folder (absent, or an empty folder, and ` +
        'no symbolic link). Give each install a staging folder of its own.',
    );
  }
  return false;
}

/** Leaves the destination as it was found: removed if this extraction created it, emptied otherwise. */
async function clearDestination(destination: string, created: boolean): Promise<void> {
  if (created) {
    await rm(destination, { recursive: true, force: true });
    return;
  }
  const names = await readdir(destination).catch(() => []);
  await Promise.all(names.map((name) => rm(join(destination, name), { recursive: true, force: true })));
}
