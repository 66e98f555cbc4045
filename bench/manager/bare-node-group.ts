// The baseline of the manager bench's start figure: N bare `node` processes spawned at once, each counted
// ready when its first byte written to stdout has reached the host (node booted, ran its first line of user
// code, and the host's event loop saw it). No handshake, no socket, no module to load: what any Node plugin
// pays before its code runs. They stay alive until all are ready (as the extensions do), then are killed.
// Spawned as Tether's runners spawn a plugin: `detached` (a session and process group of its own). That
// matters for fairness: under Linux's autogroup scheduling each session gets its own share of the CPU, and on
// a loaded 2-core machine 10 detached bare nodes were up ~3× sooner than 10 in the host's session.
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { childEnv, exited } from '../lifecycle/child-process-util.js';

/** What the ready signal is, for the report. */
export const BARE_NODE_READY =
  '`node -e` writing one byte to stdout, spawn → that byte read by the host (spawned detached, as the runners spawn a plugin; the processes stay up until all are ready)';

/** The bare child: signals once, then idles until killed (a long timer, not a busy loop). */
const SCRIPT = "process.stdout.write('1');setTimeout(()=>{},6e4)";

/** Every child ready, a failure, or the deadline: an error names which. */
const DEADLINE_MS = 30_000;

/** Spawns `count` bare node processes at once; resolves with ms until the last one's byte was read. */
export async function startBareNodes(count: number): Promise<number> {
  const env = childEnv();
  const children: ChildProcess[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const began = performance.now();
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, ['-e', SCRIPT], {
        stdio: ['ignore', 'pipe', 'ignore'],
        env,
        detached: process.platform !== 'win32',
      });
      children.push(child);
      ready.push(
        new Promise<void>((resolve, reject) => {
          child.stdout.once('data', () => resolve());
          child.once('error', reject);
          child.once('exit', (code, signal) =>
            reject(new Error(`a bare node exited (code ${code}, signal ${signal}) before its byte`)),
          );
        }),
      );
    }
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${count} bare node processes were not all up within ${DEADLINE_MS} ms`)),
        DEADLINE_MS,
      );
    });
    await Promise.race([Promise.all(ready), deadline]);
    return performance.now() - began;
  } finally {
    clearTimeout(timer);
    await Promise.all(
      children.map((child) => {
        const exit = exited(child);
        child.kill('SIGKILL');
        return exit;
      }),
    );
  }
}
