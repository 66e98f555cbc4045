// tether sign: a detached signature over a package archive and the identity of the package in it.
import { createPublicKey, sign as signEd25519 } from 'node:crypto';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { writeFileAtomic } from '../manager/atomic-file.js';
import { inspectPackageArchive } from './inspect-package-archive.js';
import { keyIdOf } from './key-id.js';
import {
  formatSignatureDocument,
  signatureDocument,
  signedFieldsProblem,
  signedPayload,
  type SignedFields,
} from './package-signature.js';
import { parsePrivateKey } from './signing-key.js';
import { signatureFileFor } from './verify-package-signature.js';

export interface SignPackageOptions {
  /** The package archive (.tgz, as `tether pack` writes it). */
  readonly archive: string;
  /** The publisher's Ed25519 private key, PEM (the `-private.pem` of `tether keygen`). */
  readonly privateKeyPem: string;
  /** Names the key in messages (its file). */
  readonly keySource?: string;
  /** Where to write the signature; default `<archive>.sig`. Replaced if it exists. */
  readonly signatureFile?: string;
}

export interface SignedPackage extends SignedFields {
  /** The signature file written (absolute). */
  readonly signatureFile: string;
}

/**
 * Signs a package: reads the archive once (its SHA-512, and the name and version of its package.json, in
 * memory), signs the payload of docs/packaging.md "Signed packages" with Ed25519, and writes the signature
 * document atomically (mode 0644: a signature is public).
 * @throws TetherError INVALID_ARGUMENT for a key that is not an unencrypted Ed25519 private key;
 *   InstallError PACKAGE_CORRUPT for an archive that is not a readable package.
 */
export async function signPackage(options: SignPackageOptions): Promise<SignedPackage> {
  const privateKey = parsePrivateKey(options.privateKeyPem, options.keySource ?? 'The private key');
  const keyId = keyIdOf(createPublicKey(privateKey));
  const archive = path.resolve(options.archive);
  const { sha512, manifest } = await inspectPackageArchive(archive);
  const fields: SignedFields = { keyId, name: manifest.name, version: manifest.version, sha512 };
  const problem = signedFieldsProblem(fields);
  if (problem !== undefined) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `Cannot sign ${archive}: ${problem}. Fix the package's package.json and pack it again.`,
    );
  }
  const signature = signEd25519(null, signedPayload(fields), privateKey);
  const signatureFile = path.resolve(options.signatureFile ?? signatureFileFor(archive));
  await writeFileAtomic(signatureFile, formatSignatureDocument(signatureDocument(fields, signature)), 0o644);
  return { ...fields, signatureFile };
}
