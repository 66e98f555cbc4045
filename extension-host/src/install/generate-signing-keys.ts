// tether keygen: a publisher's Ed25519 key pair, in PEM files.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { keyIdOf } from './key-id.js';

/** The name of the key files when none is given: `tether-publisher-private.pem`, `…-public.pem`. */
export const DEFAULT_KEY_NAME = 'tether-publisher';

/** A key name: a plain file-name stem. */
const keyNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface GenerateSigningKeysOptions {
  /** The folder to write to (created, mode 0700, when missing). Default: the current folder. */
  readonly outDir?: string;
  /** The files' name stem. Default {@link DEFAULT_KEY_NAME}. */
  readonly name?: string;
}

export interface SigningKeys {
  readonly keyId: string;
  /** `<outDir>/<name>-private.pem`, mode 0600: PKCS#8, unencrypted. */
  readonly privateKeyFile: string;
  /** `<outDir>/<name>-public.pem`, mode 0644: SPKI. */
  readonly publicKeyFile: string;
}

/**
 * Generates an Ed25519 key pair (node:crypto) and writes it: the private key with mode 0600, the public key
 * with mode 0644. Never overwrites: both files are created exclusively (`O_EXCL`), and when either exists
 * nothing is written.
 * @throws TetherError INVALID_ARGUMENT for a bad name or when a file exists.
 */
export async function generateSigningKeys(options: GenerateSigningKeysOptions = {}): Promise<SigningKeys> {
  const name = options.name ?? DEFAULT_KEY_NAME;
  if (!keyNamePattern.test(name)) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `The key name ${JSON.stringify(name)} is not a plain file name; use letters, digits, ".", "_" or "-" (up to 64).`,
    );
  }
  const outDir = path.resolve(options.outDir ?? '.');
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const privateKeyFile = path.join(outDir, `${name}-private.pem`);
  const publicKeyFile = path.join(outDir, `${name}-public.pem`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateHandle = await createExclusive(privateKeyFile, 0o600);
  let publicHandle: FileHandle;
  try {
    publicHandle = await createExclusive(publicKeyFile, 0o644);
  } catch (error) {
    await privateHandle.close();
    await rm(privateKeyFile, { force: true });
    throw error;
  }
  try {
    await writeKey(privateHandle, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    await writeKey(publicHandle, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
  } catch (error) {
    await Promise.all([privateHandle.close(), publicHandle.close()]).catch(() => undefined);
    await Promise.all([rm(privateKeyFile, { force: true }), rm(publicKeyFile, { force: true })]);
    throw error;
  }
  await Promise.all([privateHandle.close(), publicHandle.close()]);
  return { keyId: keyIdOf(publicKey), privateKeyFile, publicKeyFile };
}

async function createExclusive(file: string, mode: number): Promise<FileHandle> {
  try {
    return await open(file, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new TetherError(
        'INVALID_ARGUMENT',
        `${file} already exists, and tether keygen never overwrites a key. Choose another --name or --out, or move the old key away first (keep it, though, while users trust it: it is the only key that signs as that key id).`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Writes the key and sets the mode exactly (the umask may have narrowed it at creation). */
async function writeKey(handle: FileHandle, pem: string, mode: number): Promise<void> {
  await handle.chmod(mode);
  await handle.writeFile(pem);
  await handle.sync();
}
