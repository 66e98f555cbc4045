import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { syncFolder } from '../manager/atomic-file.js';
import { sha256File } from '../process/checksum.js';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { signatureUrlFor } from './download-with-signature.js';
import { redact } from './download-policy.js';
import { InstallError } from './install-error.js';
import {
  STAGING_PREFIX,
  activeFolderName,
  extensionHome,
  readActiveRecord,
  removeExtensionHome,
  writeActiveRecord,
  type ActiveRecord,
} from './install-layout.js';
import { packExtension } from './pack-extension.js';
import { extractPackage } from './safe-extract.js';
import type { TrustedKey } from './trusted-key.js';
import {
  signatureFileFor,
  verifyPackageSignature,
  type VerifiedPackage,
} from './verify-package-signature.js';

/** Where an install is, for progress bars (CLI and UI). */
export type InstallProgress =
  | {
      readonly phase: 'download';
      readonly bytes: number;
      readonly total?: number;
      readonly bytesPerSecond: number;
    }
  | { readonly phase: 'verify' | 'extract' | 'activate' | 'trial-start' }
  | {
      readonly phase: 'done';
      readonly id: string;
      readonly version: string;
      readonly previousVersion?: string;
      readonly signed: boolean;
      /** The key that signed it, and the publisher name the trust store gives that key. */
      readonly keyId?: string;
      readonly publisher?: string;
    };

/**
 * The steps of an install, in order: a test can stop at each to check crash safety. `moved`: the package is
 * in its version folder (for a first install, in a whole extension folder still inside the staging folder);
 * `activated`: the pointer names it; `tried`: the manager's trial start is over (the manager calls it);
 * `committed`: the pointer no longer names the previous version, whose folder is not removed yet.
 */
export type InstallStep = 'staged' | 'verified' | 'extracted' | 'moved' | 'activated' | 'tried' | 'committed';

export interface InstallOptions {
  /** Accept a package with no signature (development; a warning is logged at every start of it). */
  readonly allowUnsigned?: boolean;
  /** Install even an older version than the installed one, or the same version again. */
  readonly force?: boolean;
  readonly onProgress?: (progress: InstallProgress) => void;
  /** Called after each step (tests of crash safety). */
  readonly onStep?: (step: InstallStep) => void | Promise<void>;
}

/** What the installer needs from its host (the manager). */
export interface InstallHost {
  readonly installFolder: string;
  trustedKeys(): Promise<readonly TrustedKey[]>;
  /** Throws REQUIREMENT_UNMET when the manifest requires services no installed extension provides. */
  checkRequirements?(manifest: ExtensionManifest): void;
  /** Fetches an https: URL (and its `.sig`) into `folder`; returns the archive path and the signature path if any. */
  download?(
    url: string,
    folder: string,
    onProgress: (progress: InstallProgress) => void,
  ): Promise<{ archive: string; signature: string | undefined }>;
}

/** A package unpacked, checked and moved into place, before the manager has tried it. */
export interface StagedInstall {
  readonly id: string;
  readonly version: string;
  readonly manifest: ExtensionManifest;
  readonly verified: VerifiedPackage;
  readonly record: ActiveRecord;
  /** The record before this install (undefined for a first install): what a rollback restores. */
  readonly before: ActiveRecord | undefined;
  readonly home: string;
  readonly installFolder: string;
}

/**
 * Steps 1–6 of an install (docs/packaging.md, "Installing"): stage the package (download it, copy a .tgz
 * and its .sig, or pack a folder), verify its signature before anything is unpacked, extract it with the
 * hardened extractor, validate its manifest (host range, runner, services, and that its name and version are
 * the signed ones), move it to `<installFolder>/<id>/<version>/`, record the entry's SHA-256, and switch the
 * active pointer atomically. The caller (the manager) then tries the new version and calls `commit` or
 * `rollback`. On any failure before the switch, nothing installed changes and the staging folder is gone.
 */
export async function installPackage(
  source: string,
  host: InstallHost,
  options: InstallOptions = {},
): Promise<StagedInstall> {
  const progress = options.onProgress ?? (() => undefined);
  const step = options.onStep ?? (() => undefined);
  await mkdir(host.installFolder, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(path.join(host.installFolder, STAGING_PREFIX));
  try {
    const allowUnsigned = options.allowUnsigned ?? false;
    const { archive, signature, shownAs } = await stagePackage(
      source,
      staging,
      host,
      allowUnsigned,
      progress,
    );
    await step('staged');
    progress({ phase: 'verify' });
    const verified = await verifyPackageSignature({
      archive,
      signature,
      trusted: await host.trustedKeys(),
      allowUnsigned,
      shownAs,
    });
    await step('verified');
    progress({ phase: 'extract' });
    const extracted = await extractPackage(archive, path.join(staging, 'unpacked'));
    const manifest = await readManifest(extracted.root);
    checkHostCompatibility(manifest);
    if (manifest.name !== verified.name || manifest.version !== verified.version) {
      throw new InstallError(
        'PACKAGE_CORRUPT',
        `The package's manifest names ${manifest.name}@${manifest.version}, but the archive was verified as ${verified.name}@${verified.version}. The archive changed while it was installed; download it again.`,
      );
    }
    host.checkRequirements?.(manifest);
    await step('extracted');
    const id = manifest.name;
    const home = extensionHome(host.installFolder, id);
    const before = await readActiveRecord(home);
    checkVersionOrder(id, manifest.version, before, options.force ?? false);
    const entrySha256 = await sha256File(path.join(extracted.root, manifest.entry));
    progress({ phase: 'activate' });
    // A forced reinstall of the version that is active goes to a folder of its own: replacing the active
    // folder in place would leave, for a moment, a pointer to nothing (or to files its checksum does not fit).
    const reinstall = before !== undefined && before.version === manifest.version;
    const folderName = reinstall
      ? `${manifest.version}+reinstall.${Date.now().toString(36)}`
      : manifest.version;
    const record: ActiveRecord = {
      version: manifest.version,
      ...(folderName === manifest.version ? {} : { folder: folderName }),
      ...(before === undefined || reinstall ? {} : { previous: activeFolderName(before) }),
      entrySha256,
      signed: verified.signed,
      ...(verified.keyId === undefined ? {} : { keyId: verified.keyId }),
      ...(verified.publisher === undefined ? {} : { publisher: verified.publisher }),
      installedAt: Date.now(),
    };
    if (before === undefined && !(await exists(home))) {
      // A first install: the whole extension folder, its pointer included, is made in the staging folder and
      // renamed into place at once. A crash before that rename leaves only the staging folder; moving the
      // version folder into an empty `<id>/` instead would leave a folder with no pointer, listed as invalid.
      const fresh = path.join(staging, 'home');
      await mkdir(fresh);
      await rename(extracted.root, path.join(fresh, manifest.version));
      await step('moved');
      await writeActiveRecord(fresh, record);
      await mkdir(path.dirname(home), { recursive: true });
      await rename(fresh, home);
      await syncFolder(path.dirname(home));
    } else {
      await mkdir(home, { recursive: true });
      const target = path.join(home, folderName);
      // A folder left by an interrupted install of a version that is not active (not named by the pointer).
      if (await exists(target)) await rename(target, path.join(staging, 'replaced'));
      await rename(extracted.root, target);
      await step('moved');
      await writeActiveRecord(home, record);
    }
    await step('activated');
    return {
      id,
      version: manifest.version,
      manifest,
      verified,
      record,
      before,
      home,
      installFolder: host.installFolder,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The new version works: forget the previous one. The pointer stops naming it first, then its folder is
 * removed — and so is the folder of a version an interrupted upgrade kept as `previous` before this one.
 */
export async function commitInstall(
  staged: StagedInstall,
  onStep: InstallOptions['onStep'] = () => undefined,
): Promise<void> {
  const { previous, ...rest } = staged.record;
  if (previous !== undefined) await writeActiveRecord(staged.home, rest);
  await onStep('committed');
  // The previous version, one an interrupted upgrade kept, and the copy a forced reinstall replaced.
  const active = activeFolderName(staged.record);
  const before = staged.before === undefined ? undefined : activeFolderName(staged.before);
  for (const old of new Set([previous, staged.before?.previous, before])) {
    if (old !== undefined && old !== active) {
      await rm(path.join(staged.home, old), { recursive: true, force: true });
    }
  }
}

/**
 * The new version did not start: the pointer goes back to the version that ran before (or, for a first
 * install, the extension is removed), and the new version's folder is deleted.
 */
export async function rollbackInstall(staged: StagedInstall): Promise<void> {
  if (staged.before === undefined) {
    await removeExtensionHome(staged.installFolder, staged.home);
    return;
  }
  await writeActiveRecord(staged.home, staged.before);
  const failed = activeFolderName(staged.record);
  if (activeFolderName(staged.before) !== failed) {
    await rm(path.join(staged.home, failed), { recursive: true, force: true });
  }
}

/**
 * The package (and its signature, if any) copied into the staging folder, and how messages name them: what
 * the user gave, not the staged copies.
 */
interface StagedPackage {
  readonly archive: string;
  readonly signature: string | undefined;
  readonly shownAs: { readonly archive: string; readonly signature: string };
}

async function stagePackage(
  source: string,
  staging: string,
  host: InstallHost,
  allowUnsigned: boolean,
  progress: (progress: InstallProgress) => void,
): Promise<StagedPackage> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    if (host.download === undefined) {
      throw new InstallError(
        'DOWNLOAD_REFUSED',
        `This host cannot download packages; download ${source} and install the file.`,
      );
    }
    const downloaded = await host.download(source, staging, progress);
    const url = new URL(source);
    return { ...downloaded, shownAs: { archive: redact(url), signature: redact(signatureUrlFor(url)) } };
  }
  const resolved = path.resolve(source);
  const info = await stat(resolved).catch(() => undefined);
  if (info === undefined) {
    throw new InstallError(
      'PACKAGE_CORRUPT',
      `There is no file or folder ${resolved} to install. Give a .tgz package, an extension folder or an https:// URL.`,
    );
  }
  if (info.isDirectory()) {
    // A folder (development): packed the way `tether pack` packs it; it has no signature.
    if (!allowUnsigned) {
      throw new InstallError(
        'NOT_SIGNED',
        `${resolved} is an extension folder, and a folder is never signed: install it only while developing, with unsigned installs allowed. To install it for real, pack and sign it ("tether pack", "tether sign") and install the .tgz.`,
      );
    }
    const packed = await packExtension({ dir: resolved, outDir: staging });
    return {
      archive: packed.file,
      signature: undefined,
      shownAs: { archive: `${resolved} (packed)`, signature: signatureFileFor(packed.file) },
    };
  }
  // Copied into the staging folder, which only the installer writes: what is verified is what is unpacked.
  const archive = path.join(staging, 'package.tgz');
  await copyFile(resolved, archive);
  const signatureSource = signatureFileFor(resolved);
  const shownAs = { archive: resolved, signature: signatureSource };
  if (!(await exists(signatureSource))) return { archive, signature: undefined, shownAs };
  const signature = signatureFileFor(archive);
  await copyFile(signatureSource, signature);
  return { archive, signature, shownAs };
}

function checkVersionOrder(
  id: string,
  version: string,
  before: ActiveRecord | undefined,
  force: boolean,
): void {
  if (before === undefined || force) return;
  const order = semver.compare(version, before.version);
  if (order === 0) {
    throw new InstallError(
      'ALREADY_INSTALLED',
      `${id}@${version} is already installed. To install it again (e.g. to repair it), use --force.`,
    );
  }
  if (order < 0) {
    throw new InstallError(
      'DOWNGRADE_REFUSED',
      `${id}@${version} is older than the installed ${before.version}; downgrades are refused unless forced (--force).`,
    );
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
