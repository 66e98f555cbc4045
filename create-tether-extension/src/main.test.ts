import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './main.js';

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'create tether extension '));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: scratch,
  });
  return { status, stdout, stderr };
}

describe('create-tether-extension', () => {
  it('writes the project, lists its files and says what to run next', async () => {
    const { status, stdout, stderr } = await run('my-counter');
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const directory = path.join(scratch, 'my-counter');
    expect(stdout).toContain(`Created my-counter in ${directory}:\n  package.json\n`);
    expect(stdout).toContain('\nNext:\n  cd my-counter\n  npm install\n  npm test ');
    expect(JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8'))).toMatchObject({
      name: 'my-counter',
    });
  });

  it('depends on the Tether version it is released with', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await run('--version')).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    await run('counter');
    const json = JSON.parse(await readFile(path.join(scratch, 'counter', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(json.dependencies['@tether/sdk']).toBe(`^${version}`);
  });

  it('quotes a folder with a space in the cd it suggests; names the project with --name', async () => {
    const { status, stdout } = await run('my counter', '--name', 'my-counter');
    expect(status).toBe(0);
    expect(stdout).toContain("\n  cd 'my counter'\n");
  });

  it('gives the full path to cd to when the folder is outside the current one', async () => {
    await mkdir(path.join(scratch, 'here'));
    let stdout = '';
    const status = await main(['../elsewhere'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      cwd: path.join(scratch, 'here'),
    });
    expect(status).toBe(0);
    expect(stdout).toContain(`\n  cd '${path.join(scratch, 'elsewhere')}'\n`);
  });

  it('--help prints the usage and exits 0', async () => {
    const { status, stdout } = await run('--help');
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: npm create tether-extension <dir>');
  });

  it('without a folder: the problem and the usage on stderr, exit 2', async () => {
    expect(await run()).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'create-tether-extension: Say which folder to create the project in.\n' +
        'Usage: npm create tether-extension <dir> [-- --name <package-name>]\n' +
        '("create-tether-extension --help" says more.)\n',
    });
  });

  it('refuses a folder that is not empty with exit 2, and writes nothing', async () => {
    await mkdir(path.join(scratch, 'busy'));
    await writeFile(path.join(scratch, 'busy', 'a.txt'), '');
    const { status, stdout, stderr } = await run('busy');
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toBe(
      `create-tether-extension: ${path.join(scratch, 'busy')} is not empty (it holds a.txt); nothing was written. Give the path of a new or empty folder.\n`,
    );
  });

  it('refuses an invalid name with exit 2', async () => {
    const { status, stderr } = await run('Counter');
    expect(status).toBe(2);
    expect(stderr).toContain('--name counter');
  });

  it('exits 1 when the file system fails', async () => {
    await writeFile(path.join(scratch, 'a-file'), '');
    const { status, stderr } = await run('a-file/counter');
    expect(status).toBe(1);
    expect(stderr).toMatch(/^create-tether-extension: could not write the project: ENOTDIR/);
  });
});
