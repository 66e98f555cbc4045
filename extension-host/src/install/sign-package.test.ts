import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPackageArchive } from './inspect-package-archive.js';
import { parseSignatureDocument } from './package-signature.js';
import { signPackage } from './sign-package.js';
import { makeArchive, makeKey } from './test-fixtures/signed-packages.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-sign-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('signPackage', () => {
  it('writes <archive>.sig (0644) naming the archive’s package, hash and key', async () => {
    const key = makeKey();
    const archive = await makeArchive(root, 'acme-kv-1.2.0.tgz');
    const signed = await signPackage({ archive, privateKeyPem: key.privateKeyPem });
    const { sha512 } = await inspectPackageArchive(archive);
    expect(signed).toEqual({
      keyId: key.keyId,
      name: '@acme/kv',
      version: '1.2.0',
      sha512,
      signatureFile: `${archive}.sig`,
    });
    const text = await readFile(signed.signatureFile, 'utf8');
    expect(parseSignatureDocument(text, 'sig')).toMatchObject({
      keyId: key.keyId,
      package: { name: '@acme/kv', version: '1.2.0' },
      sha512,
    });
    if (process.platform !== 'win32') expect((await stat(signed.signatureFile)).mode & 0o777).toBe(0o644);
  });

  it('writes where it is told', async () => {
    const archive = await makeArchive(root, 'elsewhere.tgz');
    const signatureFile = path.join(root, 'custom.sig');
    const signed = await signPackage({ archive, privateKeyPem: makeKey().privateKeyPem, signatureFile });
    expect(signed.signatureFile).toBe(signatureFile);
  });

  it('refuses keys that are not unencrypted Ed25519 private keys', async () => {
    const archive = await makeArchive(root, 'keys.tgz');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const cases = [
      [
        rsa.export({ type: 'pkcs8', format: 'pem' }).toString(),
        /is a rsa key; Tether packages are signed with Ed25519/,
      ],
      [
        makeKey()
          .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' })
          .toString(),
        /encrypted private key/,
      ],
      [makeKey().publicKeyPem, /is not a private key/],
    ] as const;
    for (const [privateKeyPem, message] of cases) {
      await expect(signPackage({ archive, privateKeyPem, keySource: 'k.pem' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
    }
  });

  it('refuses to sign what is not a package (PACKAGE_CORRUPT)', async () => {
    const archive = await makeArchive(root, 'no-manifest.tgz', { entries: ['package/dist'] });
    await expect(signPackage({ archive, privateKeyPem: makeKey().privateKeyPem })).rejects.toMatchObject({
      code: 'PACKAGE_CORRUPT',
      message: expect.stringMatching(/has no package\/package\.json/),
    });
  });
});
