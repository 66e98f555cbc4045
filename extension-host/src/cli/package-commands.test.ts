// tether pack, keygen, sign and trust, through main() with captured output: an author's whole path from an
// extension folder to a package a user's host verifies.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '../install/trust-store.js';
import { verifyPackageSignature } from '../install/verify-package-signature.js';
import { main } from './main.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function tether(argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

let root: string;
let extensionDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-package-cli-'));
  extensionDir = path.join(root, 'kv');
  await mkdir(path.join(extensionDir, 'dist'), { recursive: true });
  await writeFile(
    path.join(extensionDir, 'package.json'),
    JSON.stringify({
      name: '@acme/kv',
      version: '1.2.0',
      files: ['dist'],
      tether: { entry: 'dist/plugin.js', services: { kv: [1] }, host: '>=0.1.0' },
    }),
  );
  await writeFile(path.join(extensionDir, 'dist', 'plugin.js'), 'export {};\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('pack → keygen → sign → trust', () => {
  it('makes a package the trust store then verifies', async () => {
    const out = path.join(root, 'out');
    const archive = path.join(out, 'acme-kv-1.2.0.tgz');
    expect(await tether(['pack', extensionDir, '--out', out])).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(
          `^Packed @acme/kv 1\\.2\\.0: ${archive.replaceAll('.', '\\.')} \\(2 files, \\d+ bytes\\)\\nSign it: tether sign `,
        ),
      ),
      stderr: '',
    });

    const keys = path.join(root, 'keys');
    const keygen = await tether(['keygen', '--out', keys, '--name', 'acme']);
    expect(keygen).toMatchObject({ code: 0, stderr: '' });
    const keyId = /^Key id: ([0-9a-f]{32})$/m.exec(keygen.stdout)?.[1];
    expect(keyId).toBeDefined();
    expect(keygen.stdout).toContain(`Private key: ${path.join(keys, 'acme-private.pem')} (mode 0600`);
    if (process.platform !== 'win32') {
      expect((await stat(path.join(keys, 'acme-private.pem'))).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(keys, 'acme-public.pem'))).mode & 0o777).toBe(0o644);
    }
    const again = await tether(['keygen', '--out', keys, '--name', 'acme']);
    expect(again).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/never overwrites a key/),
    });

    expect(await tether(['sign', archive, '--key', path.join(keys, 'acme-private.pem')])).toEqual({
      code: 0,
      stdout: `Signed @acme/kv 1.2.0 with key ${keyId!}: ${archive}.sig\n`,
      stderr: '',
    });

    const data = path.join(root, 'data');
    const publicKey = path.join(keys, 'acme-public.pem');
    expect(await tether(['trust', publicKey, '--name', 'Acme Corp', '--data', data])).toEqual({
      code: 0,
      stdout: `Trusted key ${keyId!} (Acme Corp): packages it signs can be installed.\n`,
      stderr: '',
    });
    expect(await tether(['trust', publicKey, '--data', data])).toMatchObject({
      code: 0,
      stdout: `Key ${keyId!} (Acme Corp) was trusted already.\n`,
    });
    expect(await tether(['trust', '--list', '--data', data])).toEqual({
      code: 0,
      stdout: `KEY ID                            PUBLISHER\n${keyId!}  Acme Corp\n`,
      stderr: '',
    });

    const { keys: trusted } = await new TrustStore(data).list();
    expect(
      await verifyPackageSignature({ archive, signature: `${archive}.sig`, trusted, allowUnsigned: false }),
    ).toMatchObject({ name: '@acme/kv', version: '1.2.0', keyId, signed: true, publisher: 'Acme Corp' });

    expect(await tether(['trust', '--remove', keyId!, '--data', data])).toEqual({
      code: 0,
      stdout: `Removed key ${keyId!}: packages it signs are no longer trusted.\n`,
      stderr: '',
    });
    expect(await tether(['trust', '--list', '--data', data])).toEqual({
      code: 0,
      stdout: `No trusted publisher keys in ${path.join(data, 'trusted-keys')}; add one with "tether trust <public.pem>".\n`,
      stderr: '',
    });
    expect(await tether(['trust', '--remove', keyId!, '--data', data])).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^tether: No trusted key [0-9a-f]{32} in .*"tether trust --list" shows/),
    });
  });
});

describe('failures', () => {
  it('pack of an invalid extension lists its problems and exits 1', async () => {
    const dir = path.join(root, 'bad');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'bad', version: '1.0.0', tether: {} }),
    );
    const result = await tether(['pack', dir, '--out', path.join(root, 'out-bad')]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^tether: Invalid extension manifest in [^]*tether\.entry is missing/);
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('sign of a file that is not a package says so and exits 1', async () => {
    const junk = path.join(root, 'junk.tgz');
    await writeFile(junk, 'not an archive');
    const keys = path.join(root, 'keys-junk');
    await tether(['keygen', '--out', keys]);
    const result = await tether(['sign', junk, '--key', path.join(keys, 'tether-publisher-private.pem')]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      /^tether: The package .*junk\.tgz is not a valid extension package: it is not gzip/,
    );
  });

  it('trust of a private key refuses it', async () => {
    const keys = path.join(root, 'keys-private');
    await tether(['keygen', '--out', keys]);
    const result = await tether(['trust', path.join(keys, 'tether-publisher-private.pem'), '--data', root]);
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/is a private key\. Give the public key/),
    });
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['pack'], /tether pack needs the extension folder: tether pack <extension-dir>/],
    [['pack', 'a', 'b'], /tether pack takes one extension folder; unexpected "b"/],
    [['keygen', 'x'], /tether keygen takes no arguments; unexpected "x"/],
    [['sign', 'a.tgz'], /tether sign needs the private key/],
    [['sign', '--key', 'k.pem'], /tether sign needs the package file/],
    [['trust'], /tether trust needs a public key file, --list or --remove/],
    [['trust', '--list', 'a.pem'], /tether trust --list takes no key file; unexpected "a\.pem"/],
    [['trust', '--list', '--remove', 'abc'], /--list or --remove, not both/],
    [['trust', '--list', '--name', 'Acme'], /--name goes with a key file to trust/],
    [['trust', 'a.pem', 'b.pem'], /tether trust takes one key file; unexpected "b\.pem"/],
    [['pack', '.', '--key', 'k'], /--key belongs to "tether sign"/],
    [['list', '--out', 'x'], /--out belongs to "tether pack" and "tether keygen"/],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await tether(argv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(new RegExp(`Run "tether ${argv[0]!} --help" for usage\\.\\n$`));
  });

  it('each command has its help', async () => {
    for (const command of ['pack', 'keygen', 'sign', 'trust']) {
      const { code, stdout } = await tether([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: tether ${command} `));
    }
    const { stdout } = await tether(['--help']);
    expect(stdout).toContain('tether sign <package.tgz> --key <private.pem>');
    expect(stdout).toMatch(/^ {2}trust\s+Trust a publisher's public key/m);
  });
});
