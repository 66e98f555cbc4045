// The README's examples must really run: extract their code blocks and run them as written.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
let dir: string | undefined;
let blocks: { file: string; code: string }[] = [];
beforeAll(async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  blocks = [...readme.matchAll(/```ts\n(\/\/ (\S+\.ts)[^\n]*\n[\s\S]*?)```/g)].map((m) => ({
    file: m[2]!,
    code: m[1]!,
  }));
  // Inside the repository, so '@tether/sdk' resolves through the workspace link as it would for a user.
  dir = await mkdtemp(join(root, 'test', '.readme-'));
  for (const block of blocks) await writeFile(join(dir, block.file), block.code);
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function runTs(file: string): Promise<{ stdout: string }> {
  return promisify(execFile)(
    process.execPath,
    ['--conditions=tether-source', '--import', 'tsx', join(dir!, file)],
    {
      cwd: dir,
      timeout: 50_000,
    },
  );
}

describe('README examples', () => {
  it('has the host + plugin pair and the manager example', () => {
    expect(blocks.map((b) => b.file)).toEqual(['greeter.ts', 'plugin.ts', 'host.ts', 'app.ts']);
  });

  it('runs the host + plugin pair and prints the greeting', async () => {
    const { stdout } = await runTs('host.ts');
    expect(stdout.trim()).toBe('Hello, world!');
  });

  it('runs the manager example: the greeter found, started on first use, stopped by dispose', async () => {
    const extension = join(dir!, 'extensions', 'greeter');
    await mkdir(extension, { recursive: true });
    await copyFile(join(dir!, 'greeter.ts'), join(extension, 'greeter.ts'));
    await copyFile(join(dir!, 'plugin.ts'), join(extension, 'plugin.ts'));
    const { handshake } = (await import(join(dir!, 'greeter.ts'))) as { handshake: unknown };
    await writeFile(
      join(extension, 'package.json'),
      JSON.stringify({
        name: 'greeter',
        version: '1.0.0',
        type: 'module',
        tether: { entry: 'plugin.ts', services: { greeter: [1] }, host: '>=0.1.0', handshake },
      }),
    );
    const { stdout } = await runTs('app.ts');
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      'greeter is stopped',
      'greeter is starting',
      'greeter is running',
      'Hello, manager!',
      'greeter is stopping',
      'greeter is stopped',
    ]);
  });
});
