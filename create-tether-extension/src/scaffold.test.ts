import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '@tether/extension-host';
import { TEMPLATE_FILES, TYPES_NODE_RANGE, TYPESCRIPT_RANGE } from './constants.js';
import { help } from './help.js';
import { fillPlaceholders } from './project-files.js';
import { scaffold, type ScaffoldOptions } from './scaffold.js';
import { ScaffoldError } from './scaffold-error.js';

const repositoryRoot = new URL('../../', import.meta.url);
const handshake = { cookieKey: 'MY_COUNTER_PLUGIN', cookieValue: '0123456789abcdef0123456789abcdef' };

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'create tether extension '));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const create = (options: Partial<ScaffoldOptions> & { directory: string }) =>
  scaffold({ tetherVersion: '0.1.0', handshake, ...options });

/** Every file under `folder`, relative, `/`-separated, sorted. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

async function refusal(options: Parameters<typeof create>[0]): Promise<ScaffoldError> {
  const error: unknown = await create(options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScaffoldError);
  return error as ScaffoldError;
}

interface GeneratedPackageJson {
  name: string;
  version: string;
  type: string;
  private: boolean;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bundleDependencies: string[];
  engines: { node: string };
  tether: { entry: string; handshake: unknown; displayName: string };
}

describe('scaffold: the files written', () => {
  it('writes the project named after its folder, and nothing else', async () => {
    const directory = path.join(scratch, 'my-counter');
    const result = await create({ directory });
    expect(result).toEqual({
      directory,
      name: 'my-counter',
      files: ['package.json', 'tsconfig.json', '.gitignore', ...TEMPLATE_FILES],
    });
    expect(await filesUnder(directory)).toEqual([...result.files].sort());
  });

  it('writes a package.json with the manifest, the scripts and the dependencies', async () => {
    const directory = path.join(scratch, 'my-counter');
    await create({ directory, tetherVersion: '1.2.3' });
    const json = JSON.parse(
      await readFile(path.join(directory, 'package.json'), 'utf8'),
    ) as GeneratedPackageJson;
    expect(json).toMatchObject({
      name: 'my-counter',
      version: '0.1.0',
      type: 'module',
      private: true,
      engines: { node: '>=20.19' },
      scripts: {
        build: 'tsc',
        test: 'tsc && node --test dist/plugin.test.js',
        start: 'tsc && node dist/host.js',
      },
      dependencies: { '@tether/sdk': '^1.2.3' },
      bundleDependencies: ['@tether/sdk'],
      devDependencies: {
        '@tether/extension-host': '^1.2.3',
        '@types/node': TYPES_NODE_RANGE,
        typescript: TYPESCRIPT_RANGE,
      },
    });
    const manifest = parseManifest(json, 'package.json');
    expect(manifest).toMatchObject({
      name: 'my-counter',
      entry: 'dist/plugin.js',
      runner: 'node',
      host: '^1.2.3',
      displayName: 'My counter',
      handshake,
    });
    expect([...manifest.services]).toEqual([['counter', [1]]]);
  });

  it('gives the project the typescript and @types/node this repository uses', async () => {
    const root = JSON.parse(await readFile(new URL('package.json', repositoryRoot), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(TYPESCRIPT_RANGE).toBe(root.devDependencies['typescript']);
    expect(TYPES_NODE_RANGE).toBe(root.devDependencies['@types/node']);
  });

  it('puts the same cookie in the manifest and the contract, fresh for each project', async () => {
    const first = path.join(scratch, 'first');
    const second = path.join(scratch, 'second');
    await scaffold({ directory: first, tetherVersion: '0.1.0' });
    await scaffold({ directory: second, tetherVersion: '0.1.0' });
    const cookies = await Promise.all(
      [first, second].map(async (directory) => {
        const json = JSON.parse(
          await readFile(path.join(directory, 'package.json'), 'utf8'),
        ) as GeneratedPackageJson;
        const contract = await readFile(path.join(directory, 'src', 'contract.ts'), 'utf8');
        const [, cookieKey, cookieValue] =
          /handshake = \{ cookieKey: '([A-Z0-9_]+)', cookieValue: '([0-9a-f]+)' \}/.exec(contract) ?? [];
        expect(json.tether.handshake).toEqual({ cookieKey, cookieValue });
        return cookieValue;
      }),
    );
    expect(cookies[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(cookies[1]).not.toBe(cookies[0]);
  });

  it('fills every placeholder of the template', async () => {
    const directory = path.join(scratch, 'acme kv');
    await create({ directory, name: '@acme/kv' });
    for (const file of TEMPLATE_FILES) {
      const text = await readFile(path.join(directory, file), 'utf8');
      expect(text, file).not.toMatch(/\{\{|\}\}/);
    }
    const readme = await readFile(path.join(directory, 'README.md'), 'utf8');
    expect(readme).toMatch(/^# Kv\n/);
    expect(readme).toContain('packages/acme-kv-0.1.0.tgz');
    expect(await readFile(path.join(directory, 'src', 'host.ts'), 'utf8')).toContain("name: '@acme/kv'");
  });

  it('writes a strict NodeNext tsconfig.json without skipLibCheck, compiling src/ to dist/', async () => {
    const directory = path.join(scratch, 'my-counter');
    await create({ directory });
    const { compilerOptions, include } = JSON.parse(
      await readFile(path.join(directory, 'tsconfig.json'), 'utf8'),
    ) as { compilerOptions: Record<string, unknown>; include: string[] };
    expect(compilerOptions).toMatchObject({
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      rootDir: 'src',
      outDir: 'dist',
    });
    expect(include).toEqual(['src']);
  });

  it('ignores the build, the packages and private keys in git', async () => {
    const directory = path.join(scratch, 'my-counter');
    await create({ directory });
    expect((await readFile(path.join(directory, '.gitignore'), 'utf8')).split('\n')).toEqual(
      expect.arrayContaining(['node_modules/', 'dist/', '*.tgz', '*-private.pem']),
    );
  });

  it('makes a missing folder, parents too', async () => {
    const directory = path.join(scratch, 'a', 'b', 'counter');
    await create({ directory });
    expect(await filesUnder(directory)).toContain('src/plugin.ts');
  });

  it('writes into an empty folder, or one holding only .git', async () => {
    const empty = path.join(scratch, 'empty');
    await mkdir(empty);
    await create({ directory: empty });
    const withGit = path.join(scratch, 'with-git');
    await mkdir(path.join(withGit, '.git'), { recursive: true });
    await create({ directory: withGit });
    expect(await filesUnder(withGit)).toContain('package.json');
  });

  it('names every file it writes in --help, and says in the README what each is', async () => {
    const directory = path.join(scratch, 'my-counter');
    const result = await create({ directory });
    const readme = await readFile(path.join(directory, 'README.md'), 'utf8');
    for (const file of result.files) {
      expect(help).toContain(file);
      if (file !== '.gitignore' && file !== 'README.md') expect(readme).toContain(`| \`${file}\``);
    }
  });
});

describe('scaffold: refusals, before anything is written', () => {
  it('refuses a folder that holds files, naming them', async () => {
    const directory = path.join(scratch, 'busy');
    await mkdir(directory);
    await writeFile(path.join(directory, 'notes.txt'), 'mine');
    const error = await refusal({ directory });
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(error.message).toBe(
      `${directory} is not empty (it holds notes.txt); nothing was written. Give the path of a new or empty folder.`,
    );
    expect(await filesUnder(directory)).toEqual(['notes.txt']);
  });

  it('refuses a file in the way', async () => {
    const directory = path.join(scratch, 'a-file');
    await writeFile(directory, '');
    const error = await refusal({ directory });
    expect(error.code).toBe('TARGET_NOT_A_FOLDER');
    expect(error.message).toBe(
      `${directory} exists and is not a folder. Give the path of a new or empty folder.`,
    );
  });

  it('refuses a folder whose name is no npm name, suggesting --name', async () => {
    const directory = path.join(scratch, 'My Counter');
    const error = await refusal({ directory });
    expect(error.code).toBe('INVALID_NAME');
    expect(error.message).toBe(
      'The project is named after its folder, but "My Counter" is not a valid npm package name: it has capital letters; npm names are lowercase. Choose a name with --name, for example --name my-counter.',
    );
    expect(await readdir(scratch)).toEqual([]);
  });

  it('refuses an invalid --name', async () => {
    const error = await refusal({ directory: path.join(scratch, 'ok'), name: 'http' });
    expect(error.code).toBe('INVALID_NAME');
    expect(error.message).toBe(
      'The name "http" is not a valid npm package name: it is the name of a Node.js core module. Choose a name with --name (lowercase letters, digits, "-", "." or "_"; "@scope/name" for a scope).',
    );
  });

  it('takes --name for a folder whose own name would not do', async () => {
    const directory = path.join(scratch, 'My Counter');
    expect((await create({ directory, name: '@acme/counter' })).name).toBe('@acme/counter');
  });
});

describe('fillPlaceholders', () => {
  it('fills known placeholders and throws on an unknown one (a template bug)', () => {
    expect(fillPlaceholders("'{{A}}' and {{B_C}}", { A: 'x', B_C: 'y' }, 'f')).toBe("'x' and y");
    expect(() => fillPlaceholders('{{NOPE}}', {}, 'src/f.ts')).toThrow(
      'The template file src/f.ts has an unknown placeholder {{NOPE}}.',
    );
  });
});
