import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withPackLock } from './pack-lock.js';

let scratch: string;
let lock: string;
beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'tether pack lock '));
  lock = path.join(scratch, 'cache', 'pack.lock');
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('withPackLock', () => {
  it('runs one call at a time, in order, and releases the lock after each (even a failed one)', async () => {
    const events: string[] = [];
    const started = gate();
    const first = gate();
    const one = withPackLock(async () => {
      events.push('one starts');
      started.open();
      await first.promise;
      events.push('one ends');
      throw new Error('one failed');
    }, lock);
    const two = withPackLock(() => {
      events.push('two runs');
      return Promise.resolve(2);
    }, lock);
    await started.promise;
    expect(await readFile(path.join(lock, 'pid'), 'utf8')).toBe(String(process.pid));
    expect(events).toEqual(['one starts']);
    first.open();
    await expect(one).rejects.toThrow('one failed');
    expect(await two).toBe(2);
    expect(events).toEqual(['one starts', 'one ends', 'two runs']);
    await expect(readFile(path.join(lock, 'pid'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('runs a call made while holding the lock at once', async () => {
    expect(await withPackLock(() => withPackLock(() => Promise.resolve('nested'), lock), lock)).toBe(
      'nested',
    );
  });

  it('takes over a lock whose holder died', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await mkdir(lock, { recursive: true });
    await writeFile(path.join(lock, 'pid'), String(pid));
    expect(await withPackLock(() => Promise.resolve('taken over'), lock)).toBe('taken over');
  });
});
