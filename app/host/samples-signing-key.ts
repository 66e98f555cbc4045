// The local "Tether samples" publisher: a key pair made on the first run in the data folder, trusted for
// that folder only, that signs the sample packages `npm start` installs — so they go through the real
// verification path (signature checked before unpacking), as any published extension would.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { TrustStore, generateSigningKeys } from '@tether/extension-host';

/** The publisher name the key is trusted with (shown by `tether list` and the UI). */
export const SAMPLES_PUBLISHER = 'Tether samples';

/** The key files' folder in the data folder, and their name stem. */
const KEY_FOLDER = 'samples-signing-key';
const KEY_NAME = 'tether-samples';

export interface SamplesSigningKey {
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly privateKeyFile: string;
}

/**
 * The samples' key of `dataFolder`, made when missing (`<data>/samples-signing-key/`, the private key mode
 * 0600), and trusted in that folder's trust store as {@link SAMPLES_PUBLISHER}.
 */
export async function samplesSigningKey(dataFolder: string): Promise<SamplesSigningKey> {
  const folder = path.join(dataFolder, KEY_FOLDER);
  const privateKeyFile = path.join(folder, `${KEY_NAME}-private.pem`);
  const publicKeyFile = path.join(folder, `${KEY_NAME}-public.pem`);
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    // Half a pair (a run killed while writing it) is useless: start again.
    await rm(privateKeyFile, { force: true });
    await rm(publicKeyFile, { force: true });
    await generateSigningKeys({ outDir: folder, name: KEY_NAME });
  }
  const { key } = await new TrustStore(dataFolder).add(await readFile(publicKeyFile, 'utf8'), {
    publisher: SAMPLES_PUBLISHER,
    from: publicKeyFile,
  });
  return { keyId: key.keyId, privateKeyPem: await readFile(privateKeyFile, 'utf8'), privateKeyFile };
}
