import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_NAME, generateSigningKeys } from './generate-signing-keys.js';
import { isKeyId, keyIdOf } from './key-id.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-keygen-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

describe('generateSigningKeys', () => {
  it('writes an Ed25519 pair: the private key 0600, the public key 0644, whatever the umask', async () => {
    const outDir = path.join(root, 'keys');
    const previous = process.umask(0o077);
    let keys;
    try {
      keys = await generateSigningKeys({ outDir, name: 'acme' });
    } finally {
      process.umask(previous);
    }
    expect(keys).toEqual({
      keyId: expect.any(String),
      privateKeyFile: path.join(outDir, 'acme-private.pem'),
      publicKeyFile: path.join(outDir, 'acme-public.pem'),
    });
    if (posix) {
      expect((await stat(keys.privateKeyFile)).mode & 0o777).toBe(0o600);
      expect((await stat(keys.publicKeyFile)).mode & 0o777).toBe(0o644);
      expect((await stat(outDir)).mode & 0o777).toBe(0o700);
    }
    const privatePem = await readFile(keys.privateKeyFile, 'utf8');
    const publicPem = await readFile(keys.publicKeyFile, 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateKey = createPrivateKey(privatePem);
    const publicKey = createPublicKey(publicPem);
    expect(privateKey.asymmetricKeyType).toBe('ed25519');
    // The pair belongs together, and the printed id is the public key's.
    expect(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
    expect(keys.keyId).toBe(keyIdOf(publicKey));
    expect(isKeyId(keys.keyId)).toBe(true);
  });

  it('never overwrites: an existing private key is refused and left untouched', async () => {
    const outDir = path.join(root, 'existing-private');
    const first = await generateSigningKeys({ outDir });
    expect(path.basename(first.privateKeyFile)).toBe(`${DEFAULT_KEY_NAME}-private.pem`);
    const before = await readFile(first.privateKeyFile, 'utf8');
    await expect(generateSigningKeys({ outDir })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/already exists, and tether keygen never overwrites a key/),
    });
    expect(await readFile(first.privateKeyFile, 'utf8')).toBe(before);
  });

  it('an existing public key alone also refuses, and leaves no private key behind', async () => {
    const outDir = path.join(root, 'existing-public');
    await generateSigningKeys({ outDir, name: 'seed' });
    await writeFile(path.join(outDir, 'acme-public.pem'), 'mine');
    await expect(generateSigningKeys({ outDir, name: 'acme' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(stat(path.join(outDir, 'acme-private.pem'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path.join(outDir, 'acme-public.pem'), 'utf8')).toBe('mine');
  });

  it.each(['../escape', 'a/b', '', '.hidden'])('refuses the name %j', async (name) => {
    await expect(generateSigningKeys({ outDir: root, name })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('two pairs get different ids', async () => {
    const outDir = path.join(root, 'two');
    const [a, b] = await Promise.all([
      generateSigningKeys({ outDir, name: 'a' }),
      generateSigningKeys({ outDir, name: 'b' }),
    ]);
    expect(a.keyId).not.toBe(b.keyId);
  });
});
