// The README's host + plugin example must really run: extract its code blocks and run them as written.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('README example', () => {
  it('runs the host + plugin pair and prints the greeting', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n(\/\/ (\S+\.ts)[^\n]*\n[\s\S]*?)```/g)].map((m) => ({
      file: m[2]!,
      code: m[1]!,
    }));
    expect(blocks.map((b) => b.file)).toEqual(['greeter.ts', 'plugin.ts', 'host.ts']);
    // Inside the repository, so '@tether/sdk' resolves through the workspace link as it would for a user.
    dir = await mkdtemp(join(root, 'test', '.readme-'));
    for (const block of blocks) await writeFile(join(dir, block.file), block.code);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=tether-source', '--import', 'tsx', join(dir, 'host.ts')],
      { cwd: dir, timeout: 20_000 },
    );
    expect(stdout.trim()).toBe('Hello, world!');
  });
});
