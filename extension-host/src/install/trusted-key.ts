// Publisher keys a host trusts: those the app ships in its configuration, and those the user added
// (TrustStore). A package installs only when it is signed by one of them.
import { TetherError } from '@tether/sdk';
import { MAX_PUBLISHER_NAME_LENGTH } from '../constants.js';
import { keyIdOf } from './key-id.js';
import { parsePublicKey, readKeyFile } from './signing-key.js';

/** Who trusts a key: the app (its configuration) or the user (`tether trust`, the trust store). */
export type TrustSource = 'app' | 'user';

/** A publisher key the host trusts. Plain data: it can be listed over the wire (`ManagerApi`). */
export interface TrustedKey {
  /** {@link keyIdOf} the key: what signatures name. */
  readonly keyId: string;
  /** The Ed25519 public key, PEM (SPKI). */
  readonly publicKeyPem: string;
  /** A name for people (`Acme Corp`), when one was given. */
  readonly publisher?: string;
  readonly source: TrustSource;
}

/**
 * A key an app trusts, in its configuration: the PEM text itself, `{ pem, publisher }`, or `{ file,
 * publisher }` for a PEM file shipped with the app.
 */
export type AppTrustedKeyConfig =
  | string
  | { readonly pem: string; readonly publisher?: string }
  | { readonly file: string; readonly publisher?: string };

// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * A {@link TrustedKey} from a public key's PEM text: checks that it is an Ed25519 public key and computes
 * its id; the PEM is stored re-encoded (only the key, no surrounding text).
 * @throws TetherError INVALID_ARGUMENT when it is not an Ed25519 public key or the publisher name is not
 *   acceptable; `source` names where the PEM came from, for the message.
 */
export function trustedKey(
  pem: string,
  options: { readonly publisher?: string | undefined; readonly source: TrustSource; readonly from?: string },
): TrustedKey {
  const key = parsePublicKey(pem, options.from ?? 'The key');
  const publisher = options.publisher === undefined ? undefined : checkPublisherName(options.publisher);
  return {
    keyId: keyIdOf(key),
    publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    ...(publisher === undefined ? {} : { publisher }),
    source: options.source,
  };
}

/**
 * The keys of an app's configuration, checked. A wrong entry is a mistake of the app, found at start-up:
 * it throws rather than quietly trusting fewer keys.
 * @throws TetherError INVALID_OPTIONS naming the entry (its index) and what is wrong.
 */
export async function loadAppTrustedKeys(config: readonly AppTrustedKeyConfig[]): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const [index, entry] of config.entries()) {
    const where = `trusted key ${index}${typeof entry === 'object' && 'file' in entry ? ` (${entry.file})` : ''}`;
    try {
      const pem =
        typeof entry === 'string' ? entry : 'pem' in entry ? entry.pem : await readKeyFile(entry.file);
      const publisher = typeof entry === 'string' ? undefined : entry.publisher;
      keys.push(trustedKey(pem, { publisher, source: 'app', from: `The app's ${where}` }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new TetherError('INVALID_OPTIONS', `The app's ${where} is not usable: ${message}`, {
        cause: error,
      });
    }
  }
  return keys;
}

/**
 * A publisher name, trimmed: one line of at most {@link MAX_PUBLISHER_NAME_LENGTH} characters.
 * @throws TetherError INVALID_ARGUMENT otherwise.
 */
export function checkPublisherName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_PUBLISHER_NAME_LENGTH || controlCharacter.test(trimmed)) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `A publisher name must be one line of 1 to ${MAX_PUBLISHER_NAME_LENGTH} characters; got ${JSON.stringify(name)}.`,
    );
  }
  return trimmed;
}
