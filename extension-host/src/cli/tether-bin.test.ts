import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/tether.js', import.meta.url));
const run = promisify(execFile);

describe('bin/tether.js (a real process)', () => {
  it('--help prints the commands and exits 0', async () => {
    const { stdout, stderr } = await run(process.execPath, [bin, '--help'], { timeout: 15_000 });
    expect(stdout).toContain('tether run <extension-dir>');
    expect(stderr).toBe('');
  });

  it('a usage error exits 2 with the message on stderr', async () => {
    const error = await run(process.execPath, [bin, 'rnu'], { timeout: 15_000 }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    );
    expect(error).toMatchObject({ code: 2, stdout: '' });
    expect(error?.stderr).toContain('tether: unknown command "rnu"; did you mean "run"?');
  });
});
