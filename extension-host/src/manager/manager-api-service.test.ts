// installProgress: an install's progress callback as the stream ManagerApi.install serves.
import { describe, expect, it } from 'vitest';
import type { InstallOptions, InstallProgress } from '../install/extension-installer.js';
import { InstallError } from '../install/install-error.js';
import type { ExtensionHostManager } from './extension-host-manager.js';
import { installProgress } from './manager-api-service.js';

/** A manager whose install reports `steps` (synchronously, all at once), then ends with `outcome`. */
function fakeManager(
  steps: readonly InstallProgress[],
  outcome: Error | undefined,
  seen: InstallOptions[] = [],
): ExtensionHostManager {
  const install = (_source: string, options: InstallOptions): Promise<unknown> => {
    seen.push(options);
    for (const step of steps) options.onProgress?.(step);
    return outcome === undefined ? Promise.resolve({}) : Promise.reject(outcome);
  };
  return { install } as unknown as ExtensionHostManager;
}

const download = (bytes: number): InstallProgress => ({
  phase: 'download',
  bytes,
  total: 100,
  bytesPerSecond: 10,
});
const done: InstallProgress = { phase: 'done', id: 'kv', version: '1.0.0', signed: true };

async function read(stream: AsyncIterable<InstallProgress>): Promise<InstallProgress[]> {
  const items: InstallProgress[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('installProgress', () => {
  it('gives a slow reader every step, and only the latest of the download items it missed', async () => {
    const steps = [download(10), download(50), download(100), { phase: 'verify' as const }, done];
    expect(await read(installProgress(fakeManager(steps, undefined), '/p.tgz', {}))).toEqual([
      download(100),
      { phase: 'verify' },
      done,
    ]);
  });

  it('fails after the steps that came before the failure', async () => {
    const refusal = new InstallError('NOT_SIGNED', 'not signed');
    const stream = installProgress(fakeManager([{ phase: 'verify' }], refusal), '/p.tgz', {});
    const items: InstallProgress[] = [];
    await expect(
      (async () => {
        for await (const item of stream) items.push(item);
      })(),
    ).rejects.toBe(refusal);
    expect(items).toEqual([{ phase: 'verify' }]);
  });

  it('passes on only the caller’s two choices, checked', async () => {
    const seen: InstallOptions[] = [];
    const manager = fakeManager([done], undefined, seen);
    const sneaky = { force: true, onStep: () => undefined } as never;
    await read(installProgress(manager, '/p.tgz', sneaky));
    expect(Object.keys(seen[0]!).sort()).toEqual(['force', 'onProgress']);
    await expect(read(installProgress(manager, '', {}))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(read(installProgress(manager, '/p.tgz', { force: 1 } as never))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(seen).toHaveLength(1);
  });
});
