import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidManifestError } from '../manifest/invalid-manifest-error.js';
import { inspectPackageArchive } from './inspect-package-archive.js';
import { packExtension, packageArchiveName } from './pack-extension.js';

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tether-pack-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeExtension(packageJson: Record<string, unknown>): Promise<string> {
  const dir = path.join(root, `ext-${++counter}`);
  await mkdir(path.join(dir, 'dist'), { recursive: true });
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  await writeFile(path.join(dir, 'dist', 'plugin.js'), 'export {};\n');
  await writeFile(path.join(dir, 'src', 'plugin.ts'), 'export {};\n');
  await writeFile(path.join(dir, 'README.md'), '# kv\n');
  await writeFile(path.join(dir, '.env'), 'SECRET=1\n');
  return dir;
}

const tether = { entry: 'dist/plugin.js', services: { kv: [1] }, host: '>=0.1.0' };

async function entriesOf(archive: string): Promise<string[]> {
  const paths: string[] = [];
  await list({ file: archive, onReadEntry: (entry) => void paths.push(entry.path) });
  return paths.sort();
}

describe('packExtension', () => {
  it('writes <scope>-<name>-<version>.tgz in npm layout, with the files npm would publish', async () => {
    const dir = await writeExtension({
      name: '@acme/kv',
      version: '1.2.0',
      files: ['dist'],
      // Not run: tether pack packs the folder as it was validated.
      scripts: { prepack: "node -e \"require('fs').writeFileSync('ran-prepack', '')\"" },
      tether,
    });
    const outDir = path.join(root, 'out');
    const packed = await packExtension({ dir, outDir });
    expect(packed).toEqual({
      file: path.join(outDir, 'acme-kv-1.2.0.tgz'),
      name: '@acme/kv',
      version: '1.2.0',
      files: expect.arrayContaining(['dist/plugin.js', 'package.json', 'README.md']),
      size: expect.any(Number),
    });
    expect(await entriesOf(packed.file)).toEqual([
      'package/README.md',
      'package/dist/plugin.js',
      'package/package.json',
    ]);
    await expect(access(path.join(dir, 'ran-prepack'))).rejects.toMatchObject({ code: 'ENOENT' });
    const { manifest } = await inspectPackageArchive(packed.file);
    expect(manifest).toMatchObject({ name: '@acme/kv', version: '1.2.0' });
  });

  it('names unscoped packages <name>-<version>.tgz', () => {
    expect(packageArchiveName('kv', '2.0.0-beta.1')).toBe('kv-2.0.0-beta.1.tgz');
    expect(packageArchiveName('@acme/kv', '1.2.0')).toBe('acme-kv-1.2.0.tgz');
  });

  it('refuses an invalid manifest with its problems, and writes nothing', async () => {
    const dir = await writeExtension({ name: '@acme/bad', version: 'one', tether: { services: {} } });
    const outDir = path.join(root, 'out-invalid');
    const error = await packExtension({ dir, outDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidManifestError);
    expect((error as InvalidManifestError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/version/),
        expect.stringMatching(/tether\.entry is missing/),
      ]),
    );
    await expect(readdir(outDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a package that would miss its entry, and deletes it', async () => {
    const dir = await writeExtension({ name: 'kv', version: '1.0.0', files: ['src'], tether });
    const outDir = path.join(root, 'out-no-entry');
    await expect(packExtension({ dir, outDir })).rejects.toMatchObject({
      code: 'PACK_FAILED',
      message: expect.stringMatching(/would not contain its entry dist\/plugin\.js[^]*"files"/),
    });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('says so when npm cannot be run', async () => {
    const dir = await writeExtension({ name: 'kv', version: '1.0.0', tether });
    await expect(
      packExtension({ dir, outDir: path.join(root, 'out-no-npm'), npm: path.join(root, 'no-such-npm') }),
    ).rejects.toMatchObject({ code: 'PACK_FAILED', message: expect.stringMatching(/npm was not found/) });
  });
});
