// extractPackage against a hostile-archive corpus generated here with node-tar's Header class
// (test-fixtures/tar-corpus.ts): each refusal asserts the code, the rule, and that nothing is left in the
// staging folder; a valid package is unpacked exactly, with safe modes and no owners from the archive.
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from './archive-reader.js';
import type { UnsafeArchiveRule } from './archive-entry-vetter.js';
import { resolveExtractLimits } from './extract-limits.js';
import { InstallError } from './install-error.js';
import { extractPackage } from './safe-extract.js';
import {
  type CraftedEntry,
  END_OF_ARCHIVE,
  entryBlocks,
  tarBlocks,
  writeArchive,
  writeTarStream,
  writeZeroBomb,
} from './test-fixtures/tar-corpus.js';

let work: string;
let counter = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tether-extract-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A fresh path in the test folder. */
function fresh(name: string): string {
  counter += 1;
  return join(work, `${counter}-${name}`);
}

async function archiveOf(entries: Iterable<CraftedEntry>): Promise<string> {
  const file = fresh('package.tgz');
  await writeArchive(file, entries);
  return file;
}

/** Extracts, expects an InstallError with `code` (and `rule`), and that the staging folder is gone. */
async function expectRefused(
  archive: string,
  code: InstallError['code'],
  rule?: UnsafeArchiveRule,
  limits?: Parameters<typeof extractPackage>[2],
): Promise<InstallError> {
  const staging = fresh('staging');
  const error = await extractPackage(archive, staging, limits).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InstallError);
  const installError = error as InstallError;
  expect(installError.code).toBe(code);
  if (rule !== undefined) expect(installError.message).toContain(`breaks the rule "${rule}"`);
  await expect(lstat(staging)).rejects.toMatchObject({ code: 'ENOENT' });
  return installError;
}

/** Every path under `root`, relative, sorted ("dir/" for folders). */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .map((entry) => {
      const path = join(entry.parentPath, entry.name).slice(root.length + 1);
      return entry.isDirectory() ? `${path}/` : path;
    })
    .sort();
}

describe('extractPackage: a valid package', () => {
  it('unpacks an archive made by tar.create exactly, with safe modes and no owner from the archive', async () => {
    const source = fresh('source');
    await mkdir(join(source, 'package', 'lib', 'deep'), { recursive: true });
    await writeFile(join(source, 'package', 'package.json'), '{"name":"acme-kv","version":"1.0.0"}\n');
    await writeFile(join(source, 'package', 'lib', 'index.js'), 'export const answer = 42;\n');
    await writeFile(join(source, 'package', 'lib', 'deep', 'data.bin'), Buffer.from([0, 1, 2, 255]));
    await writeFile(join(source, 'package', 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    const archive = fresh('valid.tgz');
    await create({ gzip: true, file: archive, cwd: source, portable: true }, ['package']);

    const staging = fresh('staging');
    const extracted = await extractPackage(archive, staging);

    expect(extracted).toEqual({ root: join(staging, 'package'), files: 4, bytes: expect.any(Number) });
    expect(await tree(staging)).toEqual([
      'package/',
      'package/lib/',
      'package/lib/deep/',
      'package/lib/deep/data.bin',
      'package/lib/index.js',
      'package/package.json',
      'package/run.sh',
    ]);
    expect(await readFile(join(extracted.root, 'lib', 'index.js'), 'utf8')).toBe(
      'export const answer = 42;\n',
    );
    expect(await readFile(join(extracted.root, 'lib', 'deep', 'data.bin'))).toEqual(
      Buffer.from([0, 1, 2, 255]),
    );
    expect(extracted.bytes).toBe(
      Buffer.byteLength('{"name":"acme-kv","version":"1.0.0"}\n') +
        Buffer.byteLength('export const answer = 42;\n') +
        4 +
        Buffer.byteLength('#!/bin/sh\necho hi\n'),
    );
    expect((await stat(join(extracted.root, 'run.sh'))).mode & 0o100).toBe(0o100);
    expect((await stat(join(extracted.root, 'package.json'))).mode & 0o111).toBe(0);
  });

  it('takes npm-pack layout without folder entries; drops setuid, setgid, sticky and world-write', async () => {
    const archive = await archiveOf([
      { path: 'package/package.json', body: '{}', mode: 0o666 },
      { path: 'package/bin/tool', body: '#!/bin/sh\n', mode: 0o6777 },
      { path: 'package/sticky', body: 'x', mode: 0o1777 },
      { path: 'package/docs/', type: 'Directory', mode: 0o7777 },
    ]);
    const extracted = await extractPackage(archive, fresh('staging'));
    expect(await tree(extracted.root)).toEqual(['bin/', 'bin/tool', 'docs/', 'package.json', 'sticky']);
    for (const path of ['package.json', 'bin/tool', 'sticky', 'docs', 'bin', '.']) {
      const stats = await stat(join(extracted.root, path));
      expect((stats.mode & 0o7000).toString(8), path).toBe('0');
      expect(stats.mode & 0o002, path).toBe(0);
      expect(stats.uid, path).toBe(process.getuid!()); // the archive says 1234; never taken, even as root
    }
    expect((await stat(join(extracted.root, 'bin/tool'))).mode & 0o100).toBe(0o100);
    expect((await stat(join(extracted.root, 'package.json'))).mode & 0o111).toBe(0);
  });

  it('accepts "./package/…" names (GNU tar) and a repetitive file under the ratio grace', async () => {
    const archive = await archiveOf([
      { path: './package/', type: 'Directory' },
      { path: './package/schema.json', body: Buffer.alloc(512 * 1024, 'a') },
    ]);
    const extracted = await extractPackage(archive, fresh('staging'));
    expect(await tree(extracted.root)).toEqual(['schema.json']);
    expect(extracted).toMatchObject({ files: 1, bytes: 512 * 1024 });
  });

  it('extracts into an existing empty folder, and leaves it empty when it refuses', async () => {
    const staging = fresh('staging');
    await mkdir(staging);
    const good = await archiveOf([{ path: 'package/a.txt', body: 'a' }]);
    await expect(extractPackage(good, staging)).resolves.toMatchObject({ files: 1 });

    const emptyStaging = fresh('staging');
    await mkdir(emptyStaging);
    const bad = await archiveOf([
      { path: 'package/a.txt', body: 'a' },
      { path: 'package/link', type: 'SymbolicLink', linkpath: '/etc' },
    ]);
    await expect(extractPackage(bad, emptyStaging)).rejects.toMatchObject({ code: 'UNSAFE_ARCHIVE' });
    expect(await readdir(emptyStaging)).toEqual([]);
  });
});

describe('extractPackage refuses hostile archives, and leaves nothing', () => {
  const cases: [string, CraftedEntry[], UnsafeArchiveRule][] = [
    ['a "../" path', [{ path: 'package/../../evil.txt', body: 'x' }], 'parent-segment'],
    ['a leading "../"', [{ path: '../evil.txt', body: 'x' }], 'parent-segment'],
    ['an absolute path', [{ path: '/tmp/tether-evil.txt', body: 'x' }], 'absolute-path'],
    ['a Windows drive path', [{ path: 'C:/evil.txt', body: 'x' }], 'absolute-path'],
    ['a backslash', [{ path: 'package\\..\\evil.txt', body: 'x' }], 'backslash'],
    ['a control character', [{ path: 'package/a\u0007b', body: 'x' }], 'bad-name'],
    ['a "." segment', [{ path: 'package/./a', body: 'x' }], 'bad-name'],
    ['an entry outside package/', [{ path: 'evil.txt', body: 'x' }], 'outside-package-folder'],
    ['another top folder', [{ path: 'other/evil.txt', body: 'x' }], 'outside-package-folder'],
    ['a file named package', [{ path: 'package', body: 'x' }], 'outside-package-folder'],
    [
      'a symlink out, then a file through it',
      [
        { path: 'package/escape', type: 'SymbolicLink', linkpath: '../../../../tmp' },
        { path: 'package/escape/tether-evil.txt', body: 'x' },
      ],
      'symlink',
    ],
    ['a hard link', [{ path: 'package/passwd', type: 'Link', linkpath: '/etc/passwd' }], 'hardlink'],
    [
      'a character device',
      [{ path: 'package/null', type: 'CharacterDevice', devmaj: 1, devmin: 3 }],
      'special-file',
    ],
    ['a block device', [{ path: 'package/sda', type: 'BlockDevice', devmaj: 8, devmin: 0 }], 'special-file'],
    ['a FIFO', [{ path: 'package/fifo', type: 'FIFO' }], 'special-file'],
    ['a contiguous file', [{ path: 'package/c', type: 'ContiguousFile', body: 'x' }], 'unsupported-type'],
    ['a type node-tar skips', [{ path: 'package/sparse', type: 'SparseFile' }], 'unsupported-type'],
    [
      'case-colliding names',
      [
        { path: 'package/README', body: 'a' },
        { path: 'package/readme', body: 'b' },
      ],
      'name-collision',
    ],
    [
      'case-colliding folders',
      [
        { path: 'package/Lib/a.js', body: 'a' },
        { path: 'package/lib/b.js', body: 'b' },
      ],
      'name-collision',
    ],
    [
      'names equal after full case folding ("ß" and "SS")',
      [
        { path: 'package/STRASSE', body: 'a' },
        { path: 'package/straße', body: 'b' },
      ],
      'name-collision',
    ],
    [
      'NFC and NFD spellings of one name',
      [
        { path: 'package/caf\u00e9.txt', body: 'a' },
        { path: 'package/cafe\u0301.txt', body: 'b' },
      ],
      'name-collision',
    ],
    [
      'a file where a folder is needed',
      [
        { path: 'package/lib', body: 'a' },
        { path: 'package/lib/index.js', body: 'b' },
      ],
      'name-collision',
    ],
    [
      'the same file twice',
      [
        { path: 'package/index.js', body: 'a' },
        { path: 'package/index.js', body: 'b' },
      ],
      'name-collision',
    ],
    [
      'a path too deep',
      [{ path: `package/${Array.from({ length: 70 }, () => 'd').join('/')}/f`, body: 'x' }],
      'path-too-long',
    ],
    ['a name segment over 255 bytes', [{ path: `package/${'n'.repeat(256)}`, body: 'x' }], 'path-too-long'],
  ];

  it.each(cases)('%s', async (_title, entries, rule) => {
    // A valid entry first, so that a refusal must also remove what came before it.
    const archive = await archiveOf([{ path: 'package/package.json', body: '{}' }, ...entries]);
    const error = await expectRefused(archive, 'UNSAFE_ARCHIVE', rule);
    // The entry named is the first that breaks the rule: the symlink, or the second of two colliding names.
    const refused = rule === 'name-collision' ? entries[1]! : entries[0]!;
    expect(error.message).toContain(`its entry ${JSON.stringify(refused.path)} breaks`);
    await expect(lstat('/tmp/tether-evil.txt')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it(`refuses ${10_001} entries (the default cap is 10 000) before writing any`, async () => {
    function* manyEntries(): Generator<CraftedEntry> {
      for (let i = 0; i <= 10_000; i++) yield { path: `package/f${i}`, body: '' };
    }
    const error = await expectRefused(await archiveOf(manyEntries()), 'UNSAFE_ARCHIVE', 'too-many-entries');
    expect(error.message).toContain('"package/f10000"');
  });

  it('counts entries against maxEntries exactly', async () => {
    const three: CraftedEntry[] = [
      { path: 'package/a', body: 'a' },
      { path: 'package/b', body: 'b' },
      { path: 'package/c', body: 'c' },
    ];
    await expect(
      extractPackage(await archiveOf(three), fresh('staging'), { maxEntries: 3 }),
    ).resolves.toMatchObject({
      files: 3,
    });
    await expectRefused(
      await archiveOf([...three, { path: 'package/d', body: 'd' }]),
      'UNSAFE_ARCHIVE',
      'too-many-entries',
      { maxEntries: 3 },
    );
  });

  it('refuses an entry over maxEntryBytes from its header, and a total over maxTotalBytes', async () => {
    const archive = await archiveOf([
      { path: 'package/a', body: Buffer.alloc(3000) },
      { path: 'package/b', body: Buffer.alloc(3000) },
    ]);
    await expectRefused(archive, 'UNSAFE_ARCHIVE', 'entry-too-large', { maxEntryBytes: 2999 });
    await expectRefused(archive, 'UNSAFE_ARCHIVE', 'total-too-large', { maxTotalBytes: 5000 });
  });

  it('stops a 100 MiB gzip bomb by its expansion ratio after a few MiB (default limits)', async () => {
    const bomb = fresh('bomb.tgz');
    await writeZeroBomb(bomb, 100);
    expect((await stat(bomb)).size).toBeLessThan(200 * 1024);
    const error = await expectRefused(bomb, 'UNSAFE_ARCHIVE', 'expansion-ratio');
    const unpacked = Number(/unpacked to over (\d+)/.exec(error.message)?.[1]);
    expect(unpacked).toBeLessThan(32 * 1024 * 1024); // stopped early, not after 100 MiB
  });

  it('refuses a 200 MiB entry from its header before decompressing it', async () => {
    const bomb = fresh('bomb.tgz');
    await writeZeroBomb(bomb, 200);
    await expectRefused(bomb, 'UNSAFE_ARCHIVE', 'entry-too-large');
  });
});

describe('extractPackage: input that is no package archive', () => {
  it('refuses plain text, an uncompressed tar, a truncated .tgz, gzip inside gzip, and garbage', async () => {
    const entries: CraftedEntry[] = [{ path: 'package/a.txt', body: Buffer.alloc(100_000, 'x') }];
    const tar = Buffer.concat([...tarBlocks(entries)]);
    const tgz = gzipSync(tar);
    const inputs: Record<string, Buffer> = {
      text: Buffer.from('<html>Please log in</html>'),
      tar,
      truncatedGzip: tgz.subarray(0, tgz.length - 20),
      truncatedTar: gzipSync(tar.subarray(0, 2048)),
      nestedGzip: gzipSync(tgz),
      garbage: gzipSync(Buffer.alloc(4096, 7)),
      emptyFile: Buffer.alloc(0),
      emptyArchive: gzipSync(END_OF_ARCHIVE),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      const file = fresh(`${name}.tgz`);
      await writeFile(file, bytes);
      const error = await expectRefused(file, 'PACKAGE_CORRUPT');
      expect(error.message, name).toMatch(/download it again|make (it|the package) again/i);
    }
  });

  it('reports an archive that cannot be read, and a destination that is not fresh', async () => {
    await expectRefused(fresh('missing.tgz'), 'EXTRACT_FAILED');

    const archive = await archiveOf([{ path: 'package/a', body: 'a' }]);
    const busy = fresh('busy');
    await mkdir(busy);
    await writeFile(join(busy, 'keep.txt'), 'mine');
    await expect(extractPackage(archive, busy)).rejects.toMatchObject({ code: 'EXTRACT_FAILED' });
    expect(await readdir(busy)).toEqual(['keep.txt']);
  });

  it('checks its limits', async () => {
    const archive = await archiveOf([{ path: 'package/a', body: 'a' }]);
    for (const limits of [{ maxEntries: 0 }, { maxTotalBytes: 1.5 }, { maxExpansionRatio: Number.NaN }]) {
      await expect(extractPackage(archive, fresh('staging'), limits)).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    }
  });
});

describe('the writing pass alone (the second line of defence, if the archive changed after vetting)', () => {
  it('refuses a symlink without creating it', async () => {
    const cwd = fresh('cwd');
    await mkdir(cwd);
    const archive = await archiveOf([
      { path: 'package/a.txt', body: 'a' },
      { path: 'package/escape', type: 'SymbolicLink', linkpath: '/tmp' },
      { path: 'package/escape/tether-evil.txt', body: 'x' },
    ]);
    await expect(readArchive(archive, resolveExtractLimits(), cwd)).rejects.toMatchObject({
      code: 'UNSAFE_ARCHIVE',
    });
    expect(await tree(cwd)).toEqual(['package/', 'package/a.txt']);
    await expect(lstat('/tmp/tether-evil.txt')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops in the middle of an entry (a bomb) and settles: its file is closed, the pass rejects', async () => {
    const cwd = fresh('cwd');
    await mkdir(cwd);
    const bomb = fresh('bomb.tgz');
    await writeZeroBomb(bomb, 100);
    await expect(readArchive(bomb, resolveExtractLimits(), cwd)).rejects.toMatchObject({
      code: 'UNSAFE_ARCHIVE',
    });
    const written = await stat(join(cwd, 'package', 'zeros'));
    expect(written.size).toBeLessThan(32 * 1024 * 1024);
  });

  it('stops after a corrupt header in the middle of the archive', async () => {
    const cwd = fresh('cwd');
    await mkdir(cwd);
    const good = entryBlocks({ path: 'package/a.txt', body: Buffer.alloc(1000, 'a') });
    const corrupt = Buffer.alloc(512, 'z'); // no valid checksum
    const file = fresh('corrupt.tgz');
    await writeTarStream(file, [...good, corrupt, END_OF_ARCHIVE]);
    await expect(readArchive(file, resolveExtractLimits(), cwd)).rejects.toMatchObject({
      code: 'PACKAGE_CORRUPT',
    });
  });
});
