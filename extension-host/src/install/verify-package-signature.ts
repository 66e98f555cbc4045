// The check an installer makes BEFORE unpacking a package: is it signed by a trusted publisher, is the
// archive the one that was signed, and does it contain the package the signature names. Fails closed:
// every failure and every exception becomes an InstallError, never a pass.
import { verify as verifyEd25519, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { MAX_SIGNATURE_FILE_BYTES, SIGNATURE_FILE_SUFFIX } from '../constants.js';
import { InstallError } from './install-error.js';
import { corruptPackage, scanPackageArchive, type ArchiveManifest } from './inspect-package-archive.js';
import { keyIdOf } from './key-id.js';
import {
  parseSignatureDocument,
  signedFieldsOf,
  signedPayload,
  type PackageSignatureDocument,
} from './package-signature.js';
import { parsePublicKey } from './signing-key.js';
import type { TrustedKey, TrustSource } from './trusted-key.js';

export interface VerifyPackageOptions {
  /** The package archive (.tgz). It should sit in a folder only the installer writes (see below). */
  readonly archive: string;
  /**
   * Its detached signature file, usually {@link signatureFileFor}(archive); `undefined` when there is none.
   * A path that does not exist counts as no signature.
   */
  readonly signature: string | undefined;
  /** The publisher keys trusted: the app's (`loadAppTrustedKeys`) and the user's (`TrustStore.list`). */
  readonly trusted: readonly TrustedKey[];
  /**
   * Accept a package without a signature (development only; the installer must warn about it). A package
   * that HAS a signature must still pass every check: a bad or untrusted signature is never "unsigned".
   */
  readonly allowUnsigned: boolean;
  /**
   * Most bytes of archive contents read to find package.json (default the extraction cap,
   * `DEFAULT_EXTRACT_MAX_TOTAL_BYTES`); pass the installer's own `maxTotalBytes` when it sets one.
   */
  readonly maxUnpackedBytes?: number;
  /**
   * How messages name the package and its signature: what the user gave (the file they chose; the URL and
   * `<url>.sig`) rather than the copies in the installer's staging folder, gone by the time anyone reads
   * the message. Default: the archive's path and its signature's (given, or where it would be).
   */
  readonly shownAs?: { readonly archive: string; readonly signature: string };
}

/** A package that passed {@link verifyPackageSignature}. */
export interface VerifiedPackage {
  /** From the archive's package.json, equal to what the signature names when signed. */
  readonly name: string;
  readonly version: string;
  /** The publisher key that signed it; `undefined` when unsigned. */
  readonly keyId: string | undefined;
  /** SHA-512 of the archive, base64 (what was signed, when signed). */
  readonly sha512: string;
  readonly signed: boolean;
  /** The trusted key's publisher name, when it has one. */
  readonly publisher?: string;
  /** Who trusts the key that signed it; absent when unsigned. */
  readonly trustedBy?: TrustSource;
}

/** Where a package's detached signature is: `<archive>.sig`. */
export function signatureFileFor(archive: string): string {
  return `${archive}${SIGNATURE_FILE_SUFFIX}`;
}

/**
 * Verifies a package before it is unpacked, in this order (cheapest and most telling first; the archive is
 * only decompressed once its signature holds):
 * 1. No signature → `NOT_SIGNED`, unless `allowUnsigned`.
 * 2. The signature file: at most 64 KiB, JSON, format `tether-signature` version 1, algorithm `ed25519`,
 *    every field well-formed, a 64-byte signature → else `BAD_SIGNATURE`.
 * 3. Its key id among `trusted` → else `UNTRUSTED_PUBLISHER`.
 * 4. The Ed25519 signature over the signed payload (format, name, version, key id, SHA-512) → else
 *    `BAD_SIGNATURE`.
 * 5. One pass over the archive: its SHA-512 equals the signed one → else `PACKAGE_CORRUPT`; it is a gzip
 *    tar holding one `package/package.json` with a name and version → else `PACKAGE_CORRUPT`.
 * 6. That name and version equal the signed ones → else `BAD_SIGNATURE`.
 *
 * The archive is read once (hash and manifest from the same bytes), but the extractor reads it again: keep
 * it where only the installer can write between verifying and unpacking (its staging folder).
 * @throws InstallError with one of the codes above; any unexpected exception is wrapped the same way
 *   (`BAD_SIGNATURE` while checking the signature, `PACKAGE_CORRUPT` while reading the archive).
 */
export async function verifyPackageSignature(options: VerifyPackageOptions): Promise<VerifiedPackage> {
  let stage: 'signature' | 'archive' = 'signature';
  const archive = path.resolve(options.archive);
  const signatureFile = options.signature === undefined ? undefined : path.resolve(options.signature);
  const shown = options.shownAs ?? { archive, signature: signatureFile ?? signatureFileFor(archive) };
  try {
    const scanOptions =
      options.maxUnpackedBytes === undefined ? {} : { maxUnpackedBytes: options.maxUnpackedBytes };
    const text =
      signatureFile === undefined ? undefined : await readSignatureFile(signatureFile, shown.signature);
    if (text === undefined) {
      if (!options.allowUnsigned) {
        throw new InstallError(
          'NOT_SIGNED',
          `The package ${shown.archive} is not signed (there is no signature ${shown.signature}). Install only packages signed by publishers you trust; allow unsigned installs only while developing an extension.`,
        );
      }
      stage = 'archive';
      const scan = await scanPackageArchive(archive, scanOptions);
      if (scan.manifest === undefined) throw corruptPackage(shown.archive, scan);
      return unsigned(scan.manifest, scan.sha512);
    }
    const document = parseSignatureDocument(text, shown.signature);
    const trusted = findTrustedKey(options.trusted, document.keyId);
    if (trusted === undefined) {
      throw new InstallError(
        'UNTRUSTED_PUBLISHER',
        `The package ${shown.archive} is signed by the key ${document.keyId}, which is not trusted here. If you trust its publisher, add their public key ("tether trust <public.pem>", or the app's list of trusted publishers) and install again.`,
      );
    }
    checkSignature(document, trusted.key, shown.signature);
    stage = 'archive';
    const scan = await scanPackageArchive(archive, scanOptions);
    if (scan.sha512 !== document.sha512) {
      throw new InstallError(
        'PACKAGE_CORRUPT',
        `The package ${shown.archive} is not the file that was signed: its SHA-512 differs from the one in ${shown.signature}, so it was changed or damaged after signing. Download it again; if that keeps happening, tell the publisher.`,
      );
    }
    if (scan.manifest === undefined) throw corruptPackage(shown.archive, scan);
    const { name, version } = scan.manifest;
    if (name !== document.package.name || version !== document.package.version) {
      throw new InstallError(
        'BAD_SIGNATURE',
        `The signature ${shown.signature} is for ${document.package.name} ${document.package.version}, but the package holds ${name} ${version}. Do not install it; ask the publisher to sign the package again with "tether sign".`,
      );
    }
    return {
      name,
      version,
      keyId: document.keyId,
      sha512: scan.sha512,
      signed: true,
      ...(trusted.entry.publisher === undefined ? {} : { publisher: trusted.entry.publisher }),
      trustedBy: trusted.entry.source,
    };
  } catch (error) {
    if (error instanceof InstallError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw stage === 'signature'
      ? new InstallError(
          'BAD_SIGNATURE',
          `The signature of ${shown.archive} could not be checked (${reason}), so the package is refused.`,
          { cause: error },
        )
      : new InstallError(
          'PACKAGE_CORRUPT',
          `The package ${shown.archive} could not be read (${reason}), so it is refused. Download it again.`,
          { cause: error },
        );
  }
}

function unsigned(manifest: ArchiveManifest, sha512: string): VerifiedPackage {
  return { name: manifest.name, version: manifest.version, keyId: undefined, sha512, signed: false };
}

/**
 * The text of the signature file; `undefined` when it does not exist.
 * @throws InstallError BAD_SIGNATURE (naming it `shownAs`) when it is not a file, is too large, or is not UTF-8.
 */
async function readSignatureFile(file: string, shownAs: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw badSignatureFile(shownAs, `it cannot be read (${(error as Error).message})`, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw badSignatureFile(shownAs, 'it is not a file');
    if (stats.size > MAX_SIGNATURE_FILE_BYTES) {
      throw badSignatureFile(
        shownAs,
        `it is ${stats.size} bytes, over the ${MAX_SIGNATURE_FILE_BYTES} a signature may have`,
      );
    }
    const buffer = Buffer.alloc(MAX_SIGNATURE_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_SIGNATURE_FILE_BYTES) throw badSignatureFile(shownAs, 'it is too large');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, bytesRead));
    } catch (error) {
      throw badSignatureFile(shownAs, 'it is not UTF-8 text', error);
    }
  } finally {
    await handle.close();
  }
}

function badSignatureFile(file: string, problem: string, cause?: unknown): InstallError {
  return new InstallError(
    'BAD_SIGNATURE',
    `The signature ${file} is not valid: ${problem}. Do not install this package; get the package and its signature again from the publisher.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The trusted key whose id (computed from the key itself, not the id it is listed with) is `keyId`. An entry
 * whose PEM does not parse trusts nothing.
 */
function findTrustedKey(
  trusted: readonly TrustedKey[],
  keyId: string,
): { readonly entry: TrustedKey; readonly key: KeyObject } | undefined {
  for (const entry of trusted) {
    let key: KeyObject;
    try {
      key = parsePublicKey(entry.publicKeyPem, `trusted key ${entry.keyId}`);
    } catch {
      continue;
    }
    if (keyIdOf(key) === keyId) return { entry, key };
  }
  return undefined;
}

/** @throws InstallError BAD_SIGNATURE unless the document's signature verifies with `key`. */
function checkSignature(document: PackageSignatureDocument, key: KeyObject, file: string): void {
  let valid: boolean;
  try {
    const payload = signedPayload(signedFieldsOf(document));
    valid = verifyEd25519(null, payload, key, Buffer.from(document.signature, 'base64'));
  } catch (error) {
    throw badSignatureFile(file, `it could not be checked (${(error as Error).message})`, error);
  }
  if (!valid) {
    throw badSignatureFile(
      file,
      `it does not verify with the key ${document.keyId}: the signature, or the package name, version or hash it names, was changed after signing`,
    );
  }
}
