// Which Node the pty runner starts the plugin and its broker with: the host's own by default, or the `node`
// option's — a fixed command, or one found on PATH at each start (an Electron app built with the RunAsNode
// fuse off has no Node of its own). Real ptys, real processes; the stand-in `node` on PATH is a shell
// script that records each start and then runs this machine's Node.
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTetherError } from '@tether/sdk';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';
import { hostNode, nodeFromPath } from '../process/node-command.js';
import { PtyRunner, type LaunchedTerminalPlugin } from './pty-runner.js';
import type { PtyRunnerOptions } from './pty-runner-options.js';
import { FIXTURE_NODE_ARGS, FIXTURE_PLUGIN } from './test-fixtures/fixture-paths.js';
import { TerminalText } from './test-fixtures/terminal-output.js';

let folder: string;
let socketParent: string;
const launched: LaunchedTerminalPlugin[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'tether-pty-node-'));
  socketParent = path.join(folder, 'sockets');
  await mkdir(socketParent);
});

afterEach(async () => {
  await Promise.all(
    launched.splice(0).map((plugin) => {
      plugin.dispose();
      return plugin.terminate(0);
    }),
  );
  await rm(folder, { recursive: true, force: true });
});

/** A `node` in `bin/` that appends its arguments to `starts.log`, then runs the real Node. */
async function recordingNode(): Promise<{ bin: string; starts: () => Promise<string[]> }> {
  const bin = path.join(folder, 'bin');
  await mkdir(bin);
  const log = path.join(folder, 'starts.log');
  await writeFile(
    path.join(bin, 'node'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${process.execPath}' "$@"\n`,
  );
  await chmod(path.join(bin, 'node'), 0o755);
  return {
    bin,
    starts: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}

async function launchEnv(options: PtyRunnerOptions): Promise<Record<string, string>> {
  const runner = new PtyRunner({ socketDirParent: socketParent, hostEnv: {}, ...options });
  const plugin = await runner.launch(
    { name: 'env', entry: FIXTURE_PLUGIN, nodeArgs: FIXTURE_NODE_ARGS, args: ['env'] },
    {},
  );
  launched.push(plugin);
  const line = (await new TerminalText(plugin.terminal).waitFor(/^\{.*\}\r$/m))[0];
  return JSON.parse(line) as Record<string, string>;
}

describe.skipIf(process.platform === 'win32')("the pty runner's Node", () => {
  it('is the node option: broker and plugin both start with it, with its variables', async () => {
    const node = await recordingNode();
    const env = await launchEnv({
      node: { path: path.join(node.bin, 'node'), env: { TETHER_TEST_NODE: 'given' } },
    });
    expect(env['TETHER_TEST_NODE']).toBe('given');
    const starts = await node.starts();
    expect(starts).toHaveLength(2);
    expect(starts.some((line) => line.includes('pty-broker-main'))).toBe(true);
    expect(starts.some((line) => line.includes(`${FIXTURE_PLUGIN} env`))).toBe(true);
  });

  it('can be looked up on PATH at each start', async () => {
    const node = await recordingNode();
    await launchEnv({ node: () => nodeFromPath({ PATH: `relative/bin${path.delimiter}${node.bin}` }) });
    await launchEnv({ node: () => nodeFromPath({ PATH: node.bin }) });
    expect(await node.starts()).toHaveLength(4);
  });

  it('fails the start with NODE_NOT_FOUND, leaving nothing behind, when there is none', async () => {
    const empty = path.join(folder, 'empty');
    await mkdir(empty);
    // Neither a folder named node nor a file without the executable bit counts.
    await mkdir(path.join(empty, 'node-folder'));
    await writeFile(path.join(empty, 'node'), '#!/bin/sh\n');
    const runner = new PtyRunner({
      socketDirParent: socketParent,
      node: () => nodeFromPath({ PATH: empty }, 'This app runs TTY extensions with a Node.js on PATH'),
    });
    const error = await rejectionOf(
      runner.launch({ name: 'env', entry: FIXTURE_PLUGIN, nodeArgs: FIXTURE_NODE_ARGS, args: ['env'] }, {}),
    );
    expect(isTetherError(error) && error.code).toBe('NODE_NOT_FOUND');
    expect((error as Error).message).toMatch(
      /^This app runs TTY extensions with a Node\.js on PATH, and none was found on PATH \(1 folder searched\)\. Install Node\.js 20/,
    );
    expect(await readdir(socketParent)).toEqual([]);
  });

  it("defaults to the host's own executable", async () => {
    expect(hostNode()).toEqual({ path: process.execPath, env: {} });
    const env = await launchEnv({});
    expect(env['ELECTRON_RUN_AS_NODE']).toBeUndefined();
  });
});
