import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { sha256File } from '../process/checksum.js';
import { checkHostCompatibility } from '../manifest/check-host-compatibility.js';
import type { ExtensionManifest } from '../manifest/manifest.js';
import { readManifest } from '../manifest/parse-manifest.js';
import { InstallError } from './install-error.js';
import {
  STAGING_PREFIX,
  extensionHome,
  readActiveRecord,
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

/** The steps of an install, in order: a test can stop at each to check crash safety. */
export type InstallStep = 'staged' | 'verified' | 'extracted' | 'moved' | 'activated';

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
    const { archive, signature } = await stagePackage(source, staging, host, progress);
    await step('staged');
    progress({ phase: 'verify' });
    const verified = await verifyPackageSignature({
      archive,
      signature,
      trusted: await host.trustedKeys(),
      allowUnsigned: options.allowUnsigned ?? false,
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
    await mkdir(home, { recursive: true });
    const target = path.join(home, manifest.version);
    // A forced reinstall of the running version: the old copy is moved aside (removed below) first.
    if (await exists(target)) await rename(target, path.join(staging, 'replaced'));
    await rename(extracted.root, target);
    await step('moved');
    const record: ActiveRecord = {
      version: manifest.version,
      ...(before === undefined || before.version === manifest.version ? {} : { previous: before.version }),
      entrySha256,
      signed: verified.signed,
      ...(verified.keyId === undefined ? {} : { keyId: verified.keyId }),
      ...(verified.publisher === undefined ? {} : { publisher: verified.publisher }),
      installedAt: Date.now(),
    };
    await writeActiveRecord(home, record);
    await step('activated');
    return { id, version: manifest.version, manifest, verified, record, before, home };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The new version works: forget the previous one (its folder is removed). */
export async function commitInstall(staged: StagedInstall): Promise<void> {
  const { previous, ...rest } = staged.record;
  if (previous === undefined) return;
  await writeActiveRecord(staged.home, rest);
  await rm(path.join(staged.home, previous), { recursive: true, force: true });
}

/**
 * The new version did not start: the pointer goes back to the version that ran before (or, for a first
 * install, the extension is removed), and the new version's folder is deleted.
 */
export async function rollbackInstall(staged: StagedInstall): Promise<void> {
  if (staged.before === undefined) {
    await rm(staged.home, { recursive: true, force: true });
    return;
  }
  await writeActiveRecord(staged.home, staged.before);
  if (staged.before.version !== staged.version) {
    await rm(path.join(staged.home, staged.version), { recursive: true, force: true });
  }
}

async function stagePackage(
  source: string,
  staging: string,
  host: InstallHost,
  progress: (progress: InstallProgress) => void,
): Promise<{ archive: string; signature: string | undefined }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    if (host.download === undefined) {
      throw new InstallError(
        'DOWNLOAD_REFUSED',
        `This host cannot download packages; download ${source} and install the file.`,
      );
    }
    return host.download(source, staging, progress);
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
    const packed = await packExtension({ dir: resolved, outDir: staging });
    return { archive: packed.file, signature: undefined };
  }
  // Copied into the staging folder, which only the installer writes: what is verified is what is unpacked.
  const archive = path.join(staging, 'package.tgz');
  await copyFile(resolved, archive);
  const signatureSource = signatureFileFor(resolved);
  if (!(await exists(signatureSource))) return { archive, signature: undefined };
  const signature = signatureFileFor(archive);
  await copyFile(signatureSource, signature);
  return { archive, signature };
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
