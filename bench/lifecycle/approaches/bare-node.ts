// Bare node: `node -e 0`, spawn → exit observed. What any Node plugin pays before its first line runs.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { childEnv, exited } from '../child-process-util.js';
import type { LifecycleApproach } from '../lifecycle-approach.js';

const exitsAtOnce = 'it exits at once; the idle baseline is the raw Unix floor (an idle node with a socket)';

export const bareNode: LifecycleApproach = {
  id: 'bare-node',
  label: 'bare node (`node -e 0`, spawn → exit)',
  kind: 'baseline',
  stopHow: '— (exits by itself)',
  notApplicable: {
    stopMs: 'it exits by itself',
    idleRssMB: exitsAtOnce,
    idlePssMB: exitsAtOnce,
    groupRssMB: exitsAtOnce,
    groupPssMB: exitsAtOnce,
    groupHostCpu: exitsAtOnce,
    groupChildCpuStat: exitsAtOnce,
    groupChildCpuRun: exitsAtOnce,
    groupChildWakeups: exitsAtOnce,
  },
  async start() {
    const began = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: childEnv() });
    await exited(child);
    const startMs = performance.now() - began;
    if (child.exitCode !== 0) throw new Error(`node -e 0 exited with ${child.exitCode ?? child.signalCode}`);
    return { pid: child.pid!, startMs, phases: {}, stop: () => Promise.resolve() };
  },
};
