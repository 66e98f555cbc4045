// Ed25519 keys in PEM, as tether keygen writes them and tether sign / tether trust read them.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { MAX_KEY_FILE_BYTES } from '../constants.js';

/**
 * Parses a public key (PEM, SPKI: `-----BEGIN PUBLIC KEY-----`) and checks it is Ed25519. Text before the
 * PEM block (RFC 7468's explanatory text, as in the trust store's files) is allowed.
 * @throws TetherError INVALID_ARGUMENT when it is not an Ed25519 public key; `source` names it.
 */
export function parsePublicKey(pem: string, source: string): KeyObject {
  if (isPrivateKey(pem)) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `${source} is a private key. Give the public key instead (the "-public.pem" file of tether keygen); a private key stays with its publisher.`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `${source} is not a public key in PEM format (${reason(error)}). Use the "-public.pem" file that tether keygen wrote.`,
      { cause: error },
    );
  }
  checkEd25519(key, source);
  return key;
}

/**
 * Parses a private key (PEM, PKCS#8: `-----BEGIN PRIVATE KEY-----`, unencrypted) and checks it is Ed25519.
 * @throws TetherError INVALID_ARGUMENT when it is not an unencrypted Ed25519 private key.
 */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const encrypted = pem.includes('ENCRYPTED');
    throw new TetherError(
      'INVALID_ARGUMENT',
      encrypted
        ? `${source} is an encrypted private key, which tether sign cannot use. Sign with the unencrypted key that tether keygen wrote (keep it in a file of mode 0600).`
        : `${source} is not a private key in PEM format (${reason(error)}). Use the "-private.pem" file that tether keygen wrote.`,
      { cause: error },
    );
  }
  checkEd25519(key, source);
  return key;
}

/**
 * Reads a key file, refusing one over {@link MAX_KEY_FILE_BYTES} (a PEM key is a few hundred bytes).
 * @throws TetherError INVALID_ARGUMENT when it cannot be read or is too large.
 */
export async function readKeyFile(file: string): Promise<string> {
  const absolute = path.resolve(file);
  try {
    const handle = await open(absolute, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_KEY_FILE_BYTES) {
        throw new TetherError(
          'INVALID_ARGUMENT',
          `${absolute} is ${size} bytes, too large for a key file (at most ${MAX_KEY_FILE_BYTES}); give a PEM key file written by tether keygen.`,
        );
      }
      const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof TetherError) throw error;
    throw new TetherError('INVALID_ARGUMENT', `Cannot read the key file ${absolute}: ${reason(error)}.`, {
      cause: error,
    });
  }
}

function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey({ key: pem, format: 'pem' });
    return true;
  } catch {
    return false;
  }
}

function checkEd25519(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; Tether packages are signed with Ed25519 keys. Make one with "tether keygen".`,
    );
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
