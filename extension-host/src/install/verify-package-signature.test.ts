import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallErrorCode } from './install-error.js';
import { InstallError } from './install-error.js';
import type { PackageSignatureDocument } from './package-signature.js';
import { signPackage } from './sign-package.js';
import { makeArchive, makeKey, writeSignature, type TestKey } from './test-fixtures/signed-packages.js';
import type { TrustedKey } from './trusted-key.js';
import {
  signatureFileFor,
  verifyPackageSignature,
  type VerifyPackageOptions,
} from './verify-package-signature.js';

let root: string;
let publisher: TestKey;
let stranger: TestKey;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-verify-'));
  publisher = makeKey('Acme Corp');
  stranger = makeKey();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder per case, so no case sees another's files. */
async function caseDir(): Promise<string> {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  return dir;
}

/** A package signed with `key` by the real signPackage: the archive and its `.sig`. */
async function signedPackage(key: TestKey = publisher, version = '1.2.0'): Promise<string> {
  const archive = await makeArchive(await caseDir(), 'acme-kv.tgz', { version });
  await signPackage({ archive, privateKeyPem: key.privateKeyPem });
  return archive;
}

function verify(archive: string, options: Partial<VerifyPackageOptions> = {}) {
  return verifyPackageSignature({
    archive,
    signature: signatureFileFor(archive),
    trusted: [publisher.trusted],
    allowUnsigned: false,
    ...options,
  });
}

async function refusal(promise: Promise<unknown>): Promise<InstallError> {
  const error = await promise.then(
    () => expect.fail('verification passed; it should have been refused'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InstallError);
  return error as InstallError;
}

async function expectRefused(promise: Promise<unknown>, code: InstallErrorCode, message?: RegExp) {
  const error = await refusal(promise);
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: message === undefined ? expect.any(String) : expect.stringMatching(message),
  });
}

async function readDocument(archive: string): Promise<PackageSignatureDocument> {
  return JSON.parse(await readFile(signatureFileFor(archive), 'utf8')) as PackageSignatureDocument;
}

async function rewriteDocument(archive: string, change: (document: Record<string, unknown>) => void) {
  const document = (await readDocument(archive)) as unknown as Record<string, unknown>;
  change(document);
  await writeFile(signatureFileFor(archive), JSON.stringify(document));
}

describe('verifyPackageSignature: a valid signature', () => {
  it('passes, with the identity read from the archive and who trusts the key', async () => {
    const archive = await signedPackage();
    const document = await readDocument(archive);
    expect(await verify(archive)).toEqual({
      name: '@acme/kv',
      version: '1.2.0',
      keyId: publisher.keyId,
      sha512: document.sha512,
      signed: true,
      publisher: 'Acme Corp',
      trustedBy: 'app',
    });
  });

  it('passes when the key is one of several trusted, and the user trusts it', async () => {
    const archive = await signedPackage();
    const userKey: TrustedKey = { ...publisher.trusted, source: 'user' };
    const { publisher: _name, ...unnamed } = userKey;
    const result = await verify(archive, { trusted: [stranger.trusted, unnamed] });
    expect(result).toMatchObject({ signed: true, keyId: publisher.keyId, trustedBy: 'user' });
    expect(result).not.toHaveProperty('publisher');
  });

  it('is still checked in full when unsigned packages are allowed', async () => {
    const archive = await signedPackage(stranger);
    await expectRefused(verify(archive, { allowUnsigned: true }), 'UNTRUSTED_PUBLISHER');
  });
});

describe('verifyPackageSignature: no signature', () => {
  it('is refused with NOT_SIGNED', async () => {
    const archive = await makeArchive(await caseDir(), 'acme-kv.tgz');
    await expectRefused(verify(archive), 'NOT_SIGNED', /is not signed[^]*acme-kv\.tgz\.sig/);
    await expectRefused(verify(archive, { signature: undefined }), 'NOT_SIGNED');
  });

  it('passes as unsigned only when unsigned installs are allowed', async () => {
    const archive = await makeArchive(await caseDir(), 'acme-kv.tgz', { version: '0.9.0' });
    expect(await verify(archive, { allowUnsigned: true })).toEqual({
      name: '@acme/kv',
      version: '0.9.0',
      keyId: undefined,
      sha512: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
      signed: false,
    });
  });

  it('an unsigned package must still be a readable package', async () => {
    const archive = await makeArchive(await caseDir(), 'plain.tar', { gzip: false });
    await expectRefused(verify(archive, { allowUnsigned: true }), 'PACKAGE_CORRUPT', /not gzip-compressed/);
  });
});

describe('verifyPackageSignature: the key', () => {
  it('an untrusted key is refused with UNTRUSTED_PUBLISHER, saying how to trust it', async () => {
    const archive = await signedPackage(stranger);
    await expectRefused(
      verify(archive),
      'UNTRUSTED_PUBLISHER',
      new RegExp(`signed by the key ${stranger.keyId}, which is not trusted[^]*tether trust <public\\.pem>`),
    );
  });

  it('no trusted keys at all: UNTRUSTED_PUBLISHER', async () => {
    await expectRefused(verify(await signedPackage(), { trusted: [] }), 'UNTRUSTED_PUBLISHER');
  });

  it('a signature made with another key than the one it names (the wrong key) is BAD_SIGNATURE', async () => {
    const archive = await signedPackage(stranger);
    const document = await readDocument(archive);
    // Claims to be by the trusted publisher, but signed with the stranger's key.
    await writeSignature(
      signatureFileFor(archive),
      { keyId: publisher.keyId, name: '@acme/kv', version: '1.2.0', sha512: document.sha512 },
      stranger.privateKey,
    );
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /does not verify with the key/);
  });

  it('a signature re-labelled with a trusted key id is BAD_SIGNATURE', async () => {
    const archive = await signedPackage(stranger);
    await rewriteDocument(archive, (document) => (document['keyId'] = publisher.keyId));
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /does not verify/);
  });

  it('a trusted entry whose PEM does not parse, or is not Ed25519, trusts nothing', async () => {
    const archive = await signedPackage();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const broken: TrustedKey[] = [
      { ...publisher.trusted, publicKeyPem: 'not a key' },
      { ...publisher.trusted, publicKeyPem: rsa.export({ type: 'spki', format: 'pem' }).toString() },
    ];
    await expectRefused(verify(archive, { trusted: broken }), 'UNTRUSTED_PUBLISHER');
  });
});

describe('verifyPackageSignature: the signature file', () => {
  it('a truncated signature value is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    await rewriteDocument(archive, (document) => {
      document['signature'] = (document['signature'] as string).slice(0, 40);
    });
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /not the base64 of 64 bytes[^]*truncated/);
  });

  it('a signature of the right length with a bit flipped is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    await rewriteDocument(archive, (document) => {
      const bytes = Buffer.from(document['signature'] as string, 'base64');
      bytes[10]! ^= 0x01;
      document['signature'] = bytes.toString('base64');
    });
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /does not verify/);
  });

  it('a truncated file is BAD_SIGNATURE (not JSON)', async () => {
    const archive = await signedPackage();
    const text = await readFile(signatureFileFor(archive), 'utf8');
    await writeFile(signatureFileFor(archive), text.slice(0, text.length / 2));
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /is not JSON/);
  });

  it('a file that is not JSON is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    await writeFile(signatureFileFor(archive), '-----BEGIN PGP SIGNATURE-----\n');
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /is not JSON/);
  });

  it.each([
    [
      'another format',
      (d: Record<string, unknown>) => (d['format'] = 'npm-signature'),
      /not a Tether package signature/,
    ],
    [
      'another version',
      (d: Record<string, unknown>) => (d['version'] = 2),
      /format version is 2[^]*update Tether/,
    ],
    ['another algorithm', (d: Record<string, unknown>) => (d['algorithm'] = 'rsa'), /algorithm is "rsa"/],
    [
      'a field the format lacks',
      (d: Record<string, unknown>) => (d['publisher'] = 'Acme'),
      /field "publisher"/,
    ],
    [
      'a key id that is no key id',
      (d: Record<string, unknown>) => (d['keyId'] = 'ABC'),
      /key id "ABC" is malformed/,
    ],
    ['a short sha512', (d: Record<string, unknown>) => (d['sha512'] = 'AAAA'), /SHA-512 is not the base64/],
    [
      'a name with a line feed',
      (d: Record<string, unknown>) => (d['package'] = { name: 'a\nb', version: '1.2.0' }),
      /control character/,
    ],
    ['no package', (d: Record<string, unknown>) => delete d['package'], /"package" is not an object/],
    [
      'a number as name',
      (d: Record<string, unknown>) => (d['package'] = { name: 1, version: '1.2.0' }),
      /must be strings/,
    ],
  ])('%s is BAD_SIGNATURE', async (_what, change, message) => {
    const archive = await signedPackage();
    await rewriteDocument(archive, change);
    await expectRefused(verify(archive), 'BAD_SIGNATURE', message);
  });

  it('a JSON array, and an oversized file, are BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    await writeFile(signatureFileFor(archive), '[]');
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /not a JSON object/);
    await writeFile(signatureFileFor(archive), ' '.repeat(70_000));
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /70000 bytes, over the 65536/);
  });

  it('a signature path that is a folder is BAD_SIGNATURE, a missing one counts as none', async () => {
    const archive = await signedPackage();
    const folder = path.join(path.dirname(archive), 'folder.sig');
    await mkdir(folder);
    await expectRefused(verify(archive, { signature: folder }), 'BAD_SIGNATURE');
    const missing = path.join(path.dirname(archive), 'missing.sig');
    await expectRefused(verify(archive, { signature: missing }), 'NOT_SIGNED');
  });

  it('a file that is not UTF-8 is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    await writeFile(signatureFileFor(archive), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /not UTF-8/);
  });
});

describe('verifyPackageSignature: the archive', () => {
  it('a tampered archive (one byte flipped) is PACKAGE_CORRUPT: not the file that was signed', async () => {
    const archive = await signedPackage();
    const bytes = await readFile(archive);
    bytes[bytes.length >> 1]! ^= 0x20;
    await writeFile(archive, bytes);
    await expectRefused(verify(archive), 'PACKAGE_CORRUPT', /not the file that was signed/);
  });

  it('a tampered manifest (the signature edited to name another version) is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    await rewriteDocument(
      archive,
      (document) => (document['package'] = { name: '@acme/kv', version: '9.9.9' }),
    );
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /does not verify/);
  });

  it('a signature validly made for another version than the archive holds is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    const { sha512 } = await readDocument(archive);
    await writeSignature(
      signatureFileFor(archive),
      { keyId: publisher.keyId, name: '@acme/kv', version: '2.0.0', sha512 },
      publisher.privateKey,
    );
    await expectRefused(
      verify(archive),
      'BAD_SIGNATURE',
      /is for @acme\/kv 2\.0\.0, but the package holds @acme\/kv 1\.2\.0/,
    );
  });

  it('a signature for another package name is BAD_SIGNATURE', async () => {
    const archive = await signedPackage();
    const { sha512 } = await readDocument(archive);
    await writeSignature(
      signatureFileFor(archive),
      { keyId: publisher.keyId, name: '@acme/other', version: '1.2.0', sha512 },
      publisher.privateKey,
    );
    await expectRefused(verify(archive), 'BAD_SIGNATURE', /is for @acme\/other 1\.2\.0/);
  });

  it('a missing archive is PACKAGE_CORRUPT', async () => {
    const archive = await signedPackage();
    await rm(archive);
    await expectRefused(verify(archive), 'PACKAGE_CORRUPT', /Cannot read the package/);
  });

  /** A signed archive made by hand: signPackage refuses to sign what is no package. */
  async function signedAnyway(archive: string): Promise<string> {
    const { createHash } = await import('node:crypto');
    const sha512 = createHash('sha512')
      .update(await readFile(archive))
      .digest('base64');
    await writeSignature(
      signatureFileFor(archive),
      { keyId: publisher.keyId, name: '@acme/kv', version: '1.2.0', sha512 },
      publisher.privateKey,
    );
    return archive;
  }

  it.each([
    ['not gzip', { gzip: false }, /not gzip-compressed/],
    ['no package.json', { entries: ['package/dist'] }, /has no package\/package\.json/],
    ['package.json not JSON', { packageJsonText: '{ nope' }, /package\.json is not valid JSON/],
    ['package.json without a version', { packageJsonText: '{"name":"@acme/kv"}' }, /no "name" and "version"/],
    ['package.json twice', { entries: ['package', 'package/package.json'] }, /more than once/],
    ['package.json a symlink', { packageJsonSymlink: true }, /SymbolicLink entry, not a file/],
  ] as const)('a signed archive with %s is PACKAGE_CORRUPT', async (_what, options, message) => {
    const archive = await signedAnyway(await makeArchive(await caseDir(), 'odd.tgz', options));
    await expectRefused(verify(archive), 'PACKAGE_CORRUPT', message);
  });

  it('a signed file that is not an archive at all is PACKAGE_CORRUPT', async () => {
    const archive = path.join(await caseDir(), 'junk.tgz');
    await writeFile(archive, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    await signedAnyway(archive);
    await expectRefused(verify(archive), 'PACKAGE_CORRUPT', /not a readable tar archive/);
  });

  it('an archive whose contents exceed the scan cap is PACKAGE_CORRUPT', async () => {
    const archive = await signedPackage();
    await expectRefused(
      verify(archive, { maxUnpackedBytes: 100 }),
      'PACKAGE_CORRUPT',
      /larger than 100 bytes/,
    );
  });
});
