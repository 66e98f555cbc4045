// The runner of each kind of extension in the Electron app.
import { describe, expect, it } from 'vitest';
import type { Runner } from '@tether/extension-host';
import { electronRunnerFor } from './electron-runners.js';

describe('electronRunnerFor', () => {
  const utility = { kind: 'utility' } as Runner;
  const pty = { kind: 'pty' } as Runner;
  const runnerFor = electronRunnerFor({ utility, pty });

  it('runs Node extensions in utility processes and TTY ones in a pty', () => {
    expect(runnerFor({ runner: 'node' })).toBe(utility);
    expect(runnerFor({ runner: 'utility' })).toBe(utility);
    expect(runnerFor({ runner: 'pty' })).toBe(pty);
  });

  it('leaves executables to the manager’s default runner', () => {
    expect(runnerFor({ runner: 'executable' })).toBeUndefined();
  });
});
