// `npm create tether-extension` as an author meets it: the scaffolder packed by npm and run with plain
// Node from its tarball, into a folder outside this repository (with a space in its path); the project it
// writes installs the packed @tether/sdk and @tether/extension-host, and then everything its README says
// works: `npm test`, `npm start` (printing what the README shows), `tether run --call` and `tether logs`,
// `tether pack`, `keygen`, `sign`, `trust` and `install`.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { x as extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPackLock } from '../../test/support/pack-lock.js';
import { packWorkspaces, tarballFiles, type PackedPackage } from '../../test/support/packed-packages.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Packing builds three packages from clean (~40 s); installing resolves their dependencies from npm's cache. */
const SETUP_TIMEOUT_MS = 400_000;
/** One command of the project: a compile, an npm script, a CLI call. */
const COMMAND_TIMEOUT_MS = 120_000;

let scratch: string;
let packed: PackedPackage[];
let project: string;
let scaffolderOutput: string;
/** The environment of every command: logs in the scratch folder, not the user's. */
let env: NodeJS.ProcessEnv;

const tarballOf = (name: string): string => {
  const found = packed.find((each) => each.name === name);
  if (found === undefined) throw new Error(`${name} was not packed`);
  return found.tarball;
};

/** Runs `command` in the project; on failure, throws with everything it printed. */
async function inProject(
  command: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, args, {
      cwd: project,
      env,
      timeout: COMMAND_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
      shell: process.platform === 'win32' && command === npm,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}\n${String(error)}`,
      { cause: error },
    );
  }
}

/** The installed `tether` CLI, run with plain Node. */
const tether = (...args: string[]) =>
  inProject(process.execPath, [
    path.join(project, 'node_modules', '@tether', 'extension-host', 'bin', 'tether.js'),
    ...args,
  ]);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'tether scaffold '));
  env = { ...process.env, TETHER_LOG_DIR: path.join(scratch, 'logs') };
  // Packing rebuilds each package's dist/ in place: one pack at a time across test files.
  packed = await withPackLock(() =>
    packWorkspaces(['sdk', 'extension-host', 'create-tether-extension'], path.join(scratch, 'tarballs')),
  );
  // What `npm create tether-extension` runs: the package's bin, from its tarball, with no dependencies.
  const scaffolder = path.join(scratch, 'scaffolder');
  await mkdir(scaffolder);
  await extract({ file: tarballOf('create-tether-extension'), cwd: scaffolder, strip: 1 });
  const projects = path.join(scratch, 'my projects');
  await mkdir(projects);
  const { stdout } = await run(
    process.execPath,
    [path.join(scaffolder, 'bin', 'create-tether-extension.js'), 'my-counter'],
    { cwd: projects, env, timeout: COMMAND_TIMEOUT_MS },
  );
  scaffolderOutput = stdout;
  project = path.join(projects, 'my-counter');

  // The project as written, but with the packed Tether packages instead of the registry's.
  const manifestFile = path.join(project, 'package.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  expect(manifest.dependencies['@tether/sdk']).toBe('^0.1.0');
  expect(manifest.devDependencies['@tether/extension-host']).toBe('^0.1.0');
  manifest.dependencies['@tether/sdk'] = `file:${tarballOf('@tether/sdk')}`;
  manifest.devDependencies['@tether/extension-host'] = `file:${tarballOf('@tether/extension-host')}`;
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  await inProject(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('a project made by create-tether-extension', () => {
  it('was written by the packed bin with plain Node, which said what to run next', async () => {
    expect(scaffolderOutput).toContain(`Created my-counter in ${project}:`);
    expect(scaffolderOutput).toContain('\n  cd my-counter\n  npm install\n');
    const files = await tarballFiles(tarballOf('create-tether-extension'));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'bin/create-tether-extension.js',
        'dist/main.js',
      ]),
    );
    expect(files.filter((file) => file.includes('.test.'))).toEqual(['template/src/plugin.test.ts']);
  });

  it(
    'passes its own npm test out of the box',
    async () => {
      const { stdout } = await inProject(npm, ['test']);
      expect(stdout).toMatch(/^# pass 5$/m);
      expect(stdout).toMatch(/^# fail 0$/m);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'builds, and its host prints what its README says',
    async () => {
      await inProject(npm, ['run', 'build']);
      const { stdout } = await inProject(process.execPath, ['dist/host.js']);
      const readme = await readFile(path.join(project, 'README.md'), 'utf8');
      const shown = /`npm start` prints:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(shown).toBeDefined();
      expect(stdout).toBe(shown);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'has a plugin that, run by hand, says an app starts it, and exits 1',
    async () => {
      await inProject(npm, ['run', 'build']);
      const failed = await run(process.execPath, ['dist/plugin.js'], {
        cwd: project,
        env,
        timeout: COMMAND_TIMEOUT_MS,
      }).then(
        () => undefined,
        (error: unknown) => error as { code?: unknown; stderr?: string },
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain('This is a Tether plugin; it is started by an app that uses it');
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'runs with the tether CLI from its manifest: a call, a stream, its logs',
    async () => {
      await inProject(npm, ['run', 'build']);
      expect((await tether('run', '.', '--call', 'counter.increment', '2')).stdout).toBe('2\n');
      expect((await tether('run', '.', '--call', 'counter.countTo', '3')).stdout).toBe('1\n2\n3\n');
      const { stdout } = await tether('logs', 'my-counter');
      expect(stdout).toMatch(/INFO +\[counter\] counted \{"by":1,"count":3\}/);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'packs, signs and installs as its README says; the installed copy starts on its own',
    async () => {
      await inProject(npm, ['run', 'build']);
      const data = path.join(scratch, 'data');
      const keys = path.join(scratch, 'keys');
      await tether('pack', '.', '--out', 'packages');
      const archive = path.join(project, 'packages', 'my-counter-0.1.0.tgz');
      const files = await tarballFiles(archive);
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'dist/plugin.js',
          'dist/counter.js',
          'node_modules/@tether/sdk/package.json',
        ]),
      );
      expect(files.filter((file) => /^dist\/(host|plugin\.test)\./.test(file))).toEqual([]);
      await tether('keygen', '--out', keys, '--name', 'me');
      await tether('sign', 'packages/my-counter-0.1.0.tgz', '--key', path.join(keys, 'me-private.pem'));
      await tether('trust', path.join(keys, 'me-public.pem'), '--name', 'me', '--data', data);
      // The install's trial start runs the unpacked copy: its @tether/sdk is the one bundled in the package.
      const { stdout } = await tether('install', 'packages/my-counter-0.1.0.tgz', '--data', data);
      expect(stdout).toMatch(/^installed my-counter@0\.1\.0 \(signed by me /m);
    },
    COMMAND_TIMEOUT_MS,
  );
});
