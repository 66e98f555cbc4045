// A lock across processes (Vitest runs test files in parallel workers): an atomic mkdir, released by rmdir.
// A lock older than `staleMs` is taken over (its holder died mid-way).
import { mkdir, rm, stat } from 'node:fs/promises';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';

export async function withFileLock<T>(path: string, work: () => Promise<T>, staleMs = 180_000): Promise<T> {
  await waitFor(
    async () => {
      try {
        await mkdir(path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined && Date.now() - info.mtimeMs > staleMs)
          await rm(path, { recursive: true, force: true });
        return false;
      }
    },
    { what: `the lock ${path}`, timeoutMs: staleMs + 60_000, intervalMs: 50 },
  );
  try {
    return await work();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}
