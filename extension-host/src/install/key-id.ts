import { createHash, type KeyObject } from 'node:crypto';
import { KEY_ID_BYTES } from '../constants.js';

/** A key id as written: lowercase hex, two characters per byte of {@link KEY_ID_BYTES}. */
const keyIdPattern = new RegExp(`^[0-9a-f]{${KEY_ID_BYTES * 2}}$`);

/**
 * The key id of a public key: the first {@link KEY_ID_BYTES} (16) bytes of the SHA-256 of its SPKI DER
 * encoding, as 32 lowercase hex characters. Stable (the DER encoding of a public key is unique), short
 * enough to read aloud and compare, and hex rather than base64 so that it is safe as a file name on
 * case-insensitive file systems (`trusted-keys/<keyId>.pem`) and easy to type (`tether trust --remove`).
 * The same id is what `openssl pkey -pubin -in key.pem -outform DER | sha256sum | cut -c1-32` prints.
 */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest().subarray(0, KEY_ID_BYTES).toString('hex');
}

/** True when `text` is written as a key id (see {@link keyIdOf}). */
export function isKeyId(text: string): boolean {
  return keyIdPattern.test(text);
}
