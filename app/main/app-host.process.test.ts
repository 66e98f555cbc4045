// The Electron app's host without Electron, with real extension processes: the manager the app creates
// (runners picked per manifest, per-extension log files, the control socket, the samples' services), and
// quitting through the app's quit sequence — every extension stopped before the app exits.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NodeRunner,
  controlSocketPath,
  logFileName,
  type LaunchSpec,
  type Runner,
} from '@tether/extension-host';
import { ManagerTestbed } from '../../extension-host/src/manager/test-fixtures/manager-testbed.js';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';
import { AppHost } from './app-host.js';
import { electronRunnerFor } from './electron-runners.js';
import { QuitSequence } from './quit-sequence.js';

let bed: ManagerTestbed;
let hosts: AppHost[];
beforeEach(async () => {
  bed = await ManagerTestbed.create();
  hosts = [];
});
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await bed.dispose();
});

/** Stands in for the utility runner (a Node child instead of a utility process) and records its launches. */
function recordingRunner(): Runner & { launched: LaunchSpec[] } {
  const node = new NodeRunner({ output: null });
  const launched: LaunchSpec[] = [];
  return {
    kind: 'utility',
    launched,
    launch: (spec, env) => {
      launched.push(spec);
      return node.launch(spec, env);
    },
  };
}

async function startHost(utility: Runner, lines: string[] = []): Promise<AppHost> {
  const host = await AppHost.start({
    dataFolder: path.join(bed.root, 'user-data'),
    logsFolder: path.join(bed.root, 'logs'),
    runnerFor: electronRunnerFor({ utility, pty: new NodeRunner() }),
    extensionFolders: [bed.extensions],
    print: (line) => lines.push(line),
  });
  hosts.push(host);
  return host;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('AppHost (the Electron main process without Electron)', () => {
  it('starts a "node" extension with the app’s utility runner, by its id, and logs it to its own file', async () => {
    await bed.addExtension({ name: 'probe-ext' });
    const utility = recordingRunner();
    const host = await startHost(utility);
    await host.manager.start('probe-ext');
    expect(utility.launched.map((spec) => spec.name)).toEqual(['probe-ext']);
    const logFile = path.join(bed.root, 'logs', logFileName('probe-ext'));
    await waitFor(async () => (await readFile(logFile, 'utf8').catch(() => '')).includes('ready'), {
      what: 'the extension’s "ready" record in its log file',
      intervalMs: 20,
    });
  });

  it('claims the data folder: a second host on it is refused', async () => {
    await startHost(recordingRunner());
    await expect(startHost(recordingRunner())).rejects.toMatchObject({ code: 'HOST_ALREADY_RUNNING' });
  });

  it('quitting stops every extension, closes the control socket, then exits with 0', async () => {
    await bed.addExtension({ name: 'first' });
    await bed.addExtension({ name: 'second' });
    const lines: string[] = [];
    const host = await startHost(recordingRunner(), lines);
    await Promise.all([host.manager.start('first'), host.manager.start('second')]);
    const pids = host.manager.list().map((extension) => extension.pid!);
    expect(pids.every(alive)).toBe(true);
    const exits: number[] = [];
    let portsClosed = false;
    const quit = new QuitSequence({
      hideWindows: () => undefined,
      stop: () =>
        host.stop([
          () => {
            portsClosed = true;
            return Promise.resolve();
          },
        ]),
      exit: (status) => exits.push(status),
      say: (line) => lines.push(line),
    });
    expect(await quit.quit()).toBe(0);
    expect(exits).toEqual([0]);
    expect(portsClosed).toBe(true);
    await waitFor(() => !pids.some(alive), { what: 'both extension processes to be gone', intervalMs: 20 });
    expect(existsSync(controlSocketPath(path.join(bed.root, 'user-data')))).toBe(false);
    expect(lines.join('\n')).toMatch(/stopping 2 running extensions…[\s\S]*stopped\./);
  });
});
