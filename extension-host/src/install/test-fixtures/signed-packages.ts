// Test packages, keys and signatures for the signature tests: archives built with the tar package, keys with
// node:crypto, signatures with the real signPackage (or by hand, for the hostile cases).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create } from 'tar';
import { keyIdOf } from '../key-id.js';
import {
  formatSignatureDocument,
  signatureDocument,
  signedPayload,
  type SignedFields,
} from '../package-signature.js';
import { trustedKey, type TrustedKey } from '../trusted-key.js';

export interface TestKey {
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly keyId: string;
  /** The key as the host would trust it. */
  readonly trusted: TrustedKey;
}

export function makeKey(publisher?: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    keyId: keyIdOf(publicKey),
    trusted: trustedKey(publicKeyPem, { publisher, source: 'app' }),
  };
}

export interface ArchiveOptions {
  readonly name?: string;
  readonly version?: string;
  /** Replaces the whole package.json text. */
  readonly packageJsonText?: string;
  /** More files, path (under package/) → contents. */
  readonly files?: Readonly<Record<string, string>>;
  /** Entries to archive, relative to the staging root; default `['package']`. */
  readonly entries?: readonly string[];
  /** Make package/package.json a symbolic link instead of a file. */
  readonly packageJsonSymlink?: boolean;
  /** gzip the tar (default true). */
  readonly gzip?: boolean;
}

/** Writes a package archive (`<dir>/<file>`) whose entries are under `package/`, with the tar package. */
export async function makeArchive(dir: string, file: string, options: ArchiveOptions = {}): Promise<string> {
  const root = await mkdtemp(path.join(dir, 'stage-'));
  const packageDir = path.join(root, 'package');
  await mkdir(packageDir, { recursive: true });
  const packageJson =
    options.packageJsonText ??
    JSON.stringify({
      name: options.name ?? '@acme/kv',
      version: options.version ?? '1.2.0',
      tether: { entry: 'dist/plugin.js', services: { kv: [1] }, host: '>=0.1.0' },
    });
  if (options.packageJsonSymlink === true) {
    await writeFile(path.join(root, 'elsewhere.json'), packageJson);
    await symlink('../elsewhere.json', path.join(packageDir, 'package.json'));
  } else {
    await writeFile(path.join(packageDir, 'package.json'), packageJson);
  }
  for (const [name, contents] of Object.entries(options.files ?? { 'dist/plugin.js': 'export {};\n' })) {
    await mkdir(path.dirname(path.join(packageDir, name)), { recursive: true });
    await writeFile(path.join(packageDir, name), contents);
  }
  const archive = path.join(dir, file);
  await create({ gzip: options.gzip ?? true, file: archive, cwd: root, portable: true }, [
    ...(options.entries ?? ['package']),
  ]);
  return archive;
}

/** A signature file made by hand: any fields, signed by any key (hostile and mismatched cases). */
export async function writeSignature(
  file: string,
  fields: SignedFields,
  signWith: KeyObject,
): Promise<string> {
  const signature = sign(null, signedPayload(fields), signWith);
  await writeFile(file, formatSignatureDocument(signatureDocument(fields, signature)));
  return file;
}
