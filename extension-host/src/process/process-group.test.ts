// A plugin's process group and its containment: released in the tick the exit is observed, never after.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { PluginContainment } from './containment.js';
import { ProcessGroup } from './process-group.js';

function recordingContainment(log: string[]): PluginContainment {
  return {
    level: 'cgroup',
    release: () => log.push('release'),
    kill: () => log.push('kill'),
  };
}

describe('ProcessGroup containment', () => {
  it('markExited SIGKILLs the group and releases the containment in the same call, once', async () => {
    const leader = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const log: string[] = [];
    const group = new ProcessGroup(leader.pid!, true, recordingContainment(log));
    expect(group.containment).toBe('cgroup');
    const signal = await new Promise((resolve) => {
      leader.once('exit', (_code, signal) => {
        group.markExited();
        expect(log).toEqual(['release']);
        resolve(signal);
      });
      group.signal('SIGKILL');
    });
    expect(signal).toBe('SIGKILL');
    group.markExited();
    group.killNow();
    expect(group.signal('SIGKILL')).toBe(false);
    expect(log).toEqual(['release']);
  });

  it('killNow (the host exiting) kills the group and its cgroup', async () => {
    const leader = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => leader.once('exit', (_code, signal) => resolve(signal)));
    const log: string[] = [];
    const group = new ProcessGroup(leader.pid!, true, recordingContainment(log));
    group.killNow();
    expect(log).toEqual(['kill']);
    expect(await exited).toBe('SIGKILL');
    group.markExited();
    expect(log).toEqual(['kill', 'release']);
  });

  it('without a containment it is the process-level default', () => {
    const group = new ProcessGroup(2 ** 22 + 1, false);
    expect(group.containment).toBe('process');
    group.markExited();
  });
});
