// Small helpers the non-Tether approaches share: the environment their children get (Tether's), waiting for an exit,
// and a deadline that turns a child that never answers into an error instead of a hung bench.
import type { ChildProcess } from 'node:child_process';
import { buildPluginEnv } from '../../extension-host/src/process/clean-env.js';

/** What every non-Tether child may take longer than before its start counts as failed, ms. */
export const START_DEADLINE_MS = 10_000;

/**
 * The environment Tether's runners give a plugin (the same allowlist, `buildPluginEnv`), so every child
 * starts from the same environment. It matters: NODE_EXTRA_CA_CERTS alone, set on this machine, adds
 * ~40 ms to every `node` start, and NODE_OPTIONS could load a loader into the child.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return buildPluginEnv({ hostEnv: process.env, specEnv: extra });
}

/** Resolves once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, and resolves once the exit was observed. */
export async function terminate(child: ChildProcess): Promise<void> {
  const exit = exited(child);
  child.kill('SIGTERM');
  await exit;
}

/**
 * `work` or an error when `child` exits first or the deadline passes; on failure the child is killed.
 */
export async function untilAnswered<T>(child: ChildProcess, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
    fail(new Error(`${what}: the child exited (code ${code}, signal ${signal}) before answering`));
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${START_DEADLINE_MS} ms`)),
      START_DEADLINE_MS,
    );
    child.once('exit', onExit);
  });
  try {
    return await Promise.race([work, failed]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
    child.off('exit', onExit);
  }
}
