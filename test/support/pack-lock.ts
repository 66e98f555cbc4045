// One `npm pack` of the workspace packages at a time, across Vitest's worker processes. Packing runs each
// package's prepack, which deletes and rebuilds its dist/ in place: two packs at once (the publish test and
// the scaffold test run side by side) would each pack, or delete, the other's half-built folder.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../sdk/src/test-support/wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The lock: a folder (made atomically) holding the pid of the process that has it. */
export const PACK_LOCK = path.join(root, 'node_modules', '.cache', 'tether-pack.lock');
/** How long to wait for another pack: it builds two packages from clean, and may wait for its own turn. */
export const PACK_LOCK_TIMEOUT_MS = 600_000;
/** A lock with no pid this long after it was made was left by a process killed while taking it. */
const PID_GRACE_MS = 10_000;

const holding = new AsyncLocalStorage<string>();
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` while holding the lock: other processes' `withPackLock` wait, and so do this process's other
 * calls (queued). A call made inside `work` runs at once (the lock is held already). A lock left by a
 * process that died is taken over. `lock` is another lock folder (tests of this file).
 */
export function withPackLock<T>(work: () => Promise<T>, lock: string = PACK_LOCK): Promise<T> {
  if (holding.getStore() === lock) return work();
  const turn = (queues.get(lock) ?? Promise.resolve()).then(async () => {
    await waitFor(() => tryLock(lock), {
      what: `${lock} (another process packing the workspaces) to be released`,
      timeoutMs: PACK_LOCK_TIMEOUT_MS,
      intervalMs: 250,
    });
    try {
      return await holding.run(lock, work);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  });
  queues.set(
    lock,
    turn.catch(() => undefined),
  );
  return turn;
}

async function tryLock(lock: string): Promise<boolean> {
  await mkdir(path.dirname(lock), { recursive: true });
  try {
    await mkdir(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!(await holderIsGone(lock))) return false;
    await rm(lock, { recursive: true, force: true });
    return false; // taken at the next check, unless another process is quicker
  }
  await writeFile(path.join(lock, 'pid'), String(process.pid));
  return true;
}

/** Whether the lock's holder died without releasing it. */
async function holderIsGone(lock: string): Promise<boolean> {
  const pid = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) {
    // Being written just now, or its writer was killed between the two steps.
    const made = await stat(lock).catch(() => undefined);
    return made !== undefined && Date.now() - made.mtimeMs > PID_GRACE_MS;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
