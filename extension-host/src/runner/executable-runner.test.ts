import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTetherError } from '@tether/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutableRunner } from './executable-runner.js';
import type { LaunchedPlugin } from './runner.js';
import { FIXTURE_PLUGIN, TSX_LOADER } from './test-fixtures/fixture-paths.js';

let dir: string;
let entry: string;
const launched: LaunchedPlugin[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-exec-test-'));
  entry = join(dir, 'plugin');
  // Any executable will do; this one is a shell script that execs the fixture (the plugin stays the
  // process the runner spawned).
  const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;
  await writeFile(
    entry,
    `#!/bin/sh\nexec ${quote(process.execPath)} --import ${quote(TSX_LOADER)} ${quote(FIXTURE_PLUGIN)} "$@"\n`,
  );
});

afterEach(async () => {
  await Promise.all(launched.splice(0).map((plugin) => plugin.terminate(0)));
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('ExecutableRunner', () => {
  it('fails with ENTRY_NOT_EXECUTABLE, saying what to do, when the entry has no execute bit', async () => {
    await chmod(entry, 0o644);
    const runner = new ExecutableRunner({ output: null, socketDirParent: dir });
    const error = await runner.launch({ name: 'noexec', entry, args: ['connect'] }, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTetherError(error, 'ENTRY_NOT_EXECUTABLE')).toBe(true);
    expect((error as Error).message).toContain(entry);
    expect((error as Error).message).toContain('chmod +x');
    expect(await readdir(dir)).toEqual(['plugin']);
  });

  it('executes the entry directly; it connects to TETHER_SOCKET', async () => {
    await chmod(entry, 0o755);
    const runner = new ExecutableRunner({ output: null, socketDirParent: dir });
    const plugin = await runner.launch({ name: 'exec', entry, args: ['connect'], cwd: dir }, {});
    launched.push(plugin);
    const transport = await plugin.connection();
    expect(transport.closed).toBe(false);
    await plugin.terminate(2000);
    expect(plugin.exitStatus).not.toBeUndefined();
    expect(await readdir(dir)).toEqual(['plugin']);
  });

  it('rejects nodeArgs, which only the node runner understands', async () => {
    await chmod(entry, 0o755);
    const runner = new ExecutableRunner({ output: null, socketDirParent: dir });
    const error = await runner.launch({ name: 'exec', entry, nodeArgs: ['--inspect'] }, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTetherError(error, 'INVALID_OPTIONS')).toBe(true);
  });
});
