import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKey } from './test-fixtures/signed-packages.js';
import { loadAppTrustedKeys } from './trusted-key.js';
import { TrustStore } from './trust-store.js';

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-trust-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function freshStore(): TrustStore {
  return new TrustStore(path.join(root, `data-${++counter}`));
}

const posix = process.platform !== 'win32';

describe('TrustStore', () => {
  it('starts empty, even without a data folder', async () => {
    expect(await freshStore().list()).toEqual({ keys: [], problems: [] });
  });

  it('adds, lists and removes keys, one file per key id, in a private folder', async () => {
    const store = freshStore();
    const acme = makeKey();
    const other = makeKey();
    const added = await store.add(acme.publicKeyPem, { publisher: ' Acme Corp ' });
    expect(added).toEqual({
      added: true,
      key: { keyId: acme.keyId, publicKeyPem: acme.publicKeyPem, publisher: 'Acme Corp', source: 'user' },
    });
    await store.add(other.publicKeyPem);
    expect(store.folder).toBe(path.join(store.dataFolder, 'trusted-keys'));
    expect((await readdir(store.folder)).sort()).toEqual([`${acme.keyId}.pem`, `${other.keyId}.pem`].sort());
    if (posix) expect((await stat(store.folder)).mode & 0o777).toBe(0o700);
    const text = await readFile(path.join(store.folder, `${acme.keyId}.pem`), 'utf8');
    expect(text).toBe(`Tether trusted publisher key\nPublisher: Acme Corp\n${acme.publicKeyPem}`);

    const { keys, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(keys.map((key) => [key.keyId, key.publisher, key.source]).sort()).toEqual(
      [
        [acme.keyId, 'Acme Corp', 'user'],
        [other.keyId, undefined, 'user'],
      ].sort(),
    );

    expect(await store.remove(acme.keyId.toUpperCase())).toBe(true);
    expect(await store.remove(acme.keyId)).toBe(false);
    expect((await store.list()).keys.map((key) => key.keyId)).toEqual([other.keyId]);
  });

  it('adding a key again keeps its publisher name unless a new one is given', async () => {
    const store = freshStore();
    const acme = makeKey();
    await store.add(acme.publicKeyPem, { publisher: 'Acme' });
    expect(await store.add(acme.publicKeyPem)).toMatchObject({ added: false, key: { publisher: 'Acme' } });
    expect(await store.add(acme.publicKeyPem, { publisher: 'Acme Inc' })).toMatchObject({
      added: false,
      key: { publisher: 'Acme Inc' },
    });
    expect((await store.list()).keys).toMatchObject([{ keyId: acme.keyId, publisher: 'Acme Inc' }]);
  });

  it('refuses a private key, a non-key, and a publisher name of several lines', async () => {
    const store = freshStore();
    const acme = makeKey();
    await expect(store.add(acme.privateKeyPem, { from: 'acme-private.pem' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/acme-private\.pem is a private key/),
    });
    await expect(store.add('hello')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.add(acme.publicKeyPem, { publisher: 'Acme\nPublisher: Evil' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(store.remove('not-an-id')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('does not trust a file whose key is not the one its name says, nor a symlink', async () => {
    const store = freshStore();
    const acme = makeKey();
    const other = makeKey();
    await store.add(acme.publicKeyPem);
    await rename(path.join(store.folder, `${acme.keyId}.pem`), path.join(store.folder, `${other.keyId}.pem`));
    const outside = path.join(store.dataFolder, 'outside.pem');
    await writeFile(outside, acme.publicKeyPem);
    await symlink(outside, path.join(store.folder, `${acme.keyId}.pem`));
    const { keys, problems } = await store.list();
    expect(keys).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`${other.keyId}\\.pem is not trusted: it holds the key ${acme.keyId}`),
        ),
        expect.stringMatching(new RegExp(`${acme.keyId}\\.pem is not trusted: it is not a plain file`)),
      ]),
    );
  });

  it.runIf(posix)('trusts nothing from a folder or a file other users can write', async () => {
    const store = freshStore();
    const acme = makeKey();
    await store.add(acme.publicKeyPem);
    await chmod(store.folder, 0o777);
    expect(await store.list()).toEqual({
      keys: [],
      problems: [expect.stringMatching(/is writable by other users \(mode 777\)[^]*chmod go-w/)],
    });
    await chmod(store.folder, 0o700);
    await chmod(path.join(store.folder, `${acme.keyId}.pem`), 0o666);
    expect(await store.list()).toEqual({
      keys: [],
      problems: [expect.stringMatching(/is not trusted: it is writable by other users \(mode 666\)/)],
    });
  });

  it('ignores files that are not keys of the store (temporary files, other names)', async () => {
    const store = freshStore();
    await mkdir(store.folder, { recursive: true, mode: 0o700 });
    await writeFile(path.join(store.folder, '.abc.pem.1234.tmp'), 'partial');
    await writeFile(path.join(store.folder, 'README'), 'notes');
    expect(await store.list()).toEqual({ keys: [], problems: [] });
  });
});

describe('loadAppTrustedKeys', () => {
  it('takes PEM text, { pem, publisher } and { file, publisher }', async () => {
    const [a, b, c] = [makeKey(), makeKey(), makeKey()];
    const file = path.join(root, 'app-key.pem');
    await writeFile(file, c.publicKeyPem);
    const keys = await loadAppTrustedKeys([
      a.publicKeyPem,
      { pem: b.publicKeyPem, publisher: 'B' },
      { file, publisher: 'C' },
    ]);
    expect(keys).toEqual([
      { keyId: a.keyId, publicKeyPem: a.publicKeyPem, source: 'app' },
      { keyId: b.keyId, publicKeyPem: b.publicKeyPem, publisher: 'B', source: 'app' },
      { keyId: c.keyId, publicKeyPem: c.publicKeyPem, publisher: 'C', source: 'app' },
    ]);
  });

  it('a wrong entry fails loudly with INVALID_OPTIONS, naming it', async () => {
    await expect(loadAppTrustedKeys([makeKey().publicKeyPem, 'nonsense'])).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/^The app's trusted key 1 is not usable/),
    });
    await expect(loadAppTrustedKeys([{ file: path.join(root, 'missing.pem') }])).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/trusted key 0 \(.*missing\.pem\)[^]*Cannot read the key file/),
    });
  });
});
