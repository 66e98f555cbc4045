import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTetherError } from '@tether/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File, verifyChecksum } from './checksum.js';

// SHA-256("abc"), FIPS 180-2 appendix B.1.
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-checksum-'));
  file = join(dir, 'abc');
  await writeFile(file, 'abc');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checksum', () => {
  it('hashes a file', async () => {
    expect(await sha256File(file)).toBe(ABC);
  });

  it('accepts a matching digest in either case', async () => {
    await expect(verifyChecksum(file, ABC.toUpperCase(), 'p')).resolves.toBeUndefined();
  });

  it('rejects a mismatch with CHECKSUM_MISMATCH and a malformed digest with INVALID_OPTIONS', async () => {
    const mismatch = await verifyChecksum(file, '0'.repeat(64), 'p').catch((e: unknown) => e);
    expect(isTetherError(mismatch, 'CHECKSUM_MISMATCH')).toBe(true);
    const malformed = await verifyChecksum(file, 'sha256-abc', 'p').catch((e: unknown) => e);
    expect(isTetherError(malformed, 'INVALID_OPTIONS')).toBe(true);
  });
});
