import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TetherError } from '@tether/sdk';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** The SHA-256 of a file's contents, as 64 lowercase hex digits. Streams the file (no size limit). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Re-verifies a plugin's entry against the checksum its manifest or installer recorded, right before launch
 * (go-plugin's SecureConfig). Fails with `TetherError('INVALID_OPTIONS')` when `expected` is not a SHA-256
 * hex digest and with `TetherError('CHECKSUM_MISMATCH')` when the file differs.
 *
 * It narrows, but cannot close, the window between check and exec: whoever can write the extension's
 * directory can swap the file after the check. The directory's permissions are the real protection.
 */
export async function verifyChecksum(path: string, expected: string, name: string): Promise<void> {
  if (!SHA256_HEX.test(expected)) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `The checksum given for plugin "${name}" is not a SHA-256 digest (64 hex digits): "${expected}".`,
    );
  }
  const actual = await sha256File(path);
  if (actual !== expected.toLowerCase()) {
    throw new TetherError(
      'CHECKSUM_MISMATCH',
      `Refusing to start plugin "${name}": its entry ${path} has SHA-256 ${actual}, but ${expected.toLowerCase()} ` +
        'was expected. The file changed after it was installed (or the recorded checksum is wrong). ' +
        'Reinstall the extension from a trusted source; if you changed it on purpose, update its checksum.',
    );
  }
}
