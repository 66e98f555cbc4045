// The lines `tether host` prints for extensions and their state changes.
import { describe, expect, it } from 'vitest';
import type { ExtensionSnapshot } from '../manager/extension-state.js';
import { lastProblem } from './last-problem.js';
import { clockTime, extensionLine, stateChangeLine } from './state-change-line.js';

function snapshot(overrides: Partial<ExtensionSnapshot> = {}): ExtensionSnapshot {
  return {
    id: '@acme/kv',
    displayName: 'KV',
    version: '1.2.0',
    runner: 'node',
    state: 'stopped',
    enabled: true,
    folder: '/exts/kv',
    activation: 'onDemand',
    restarts: 0,
    hostApis: [],
    grantedHostApis: [],
    services: ['kv'],
    ...overrides,
  };
}

const crash = {
  code: 'PLUGIN_EXITED',
  message: 'Plugin "@acme/kv" exited with code 3.\nIts last stderr lines: …',
  time: 0,
};
const at = new Date(2024, 4, 1, 9, 5, 7);

describe('state-change lines', () => {
  it('time, id, from → to', () => {
    expect(clockTime(at)).toBe('09:05:07');
    const change = {
      id: '@acme/kv',
      from: 'starting',
      to: 'running',
      snapshot: snapshot({ state: 'running' }),
    } as const;
    expect(stateChangeLine(change, at)).toBe('09:05:07 @acme/kv starting → running');
  });

  it('crashed, failed and invalid say why, on one line; other states do not', () => {
    const crashed = snapshot({ state: 'crashed', lastError: crash, restarts: 1 });
    expect(stateChangeLine({ id: '@acme/kv', from: 'running', to: 'crashed', snapshot: crashed }, at)).toBe(
      '09:05:07 @acme/kv running → crashed: PLUGIN_EXITED: Plugin "@acme/kv" exited with code 3. …',
    );
    const restarted = snapshot({ state: 'starting', lastError: crash });
    expect(
      stateChangeLine({ id: '@acme/kv', from: 'crashed', to: 'starting', snapshot: restarted }, at),
    ).toBe('09:05:07 @acme/kv crashed → starting');
    const invalid = snapshot({
      state: 'invalid',
      version: '',
      problems: ['tether.entry is missing', 'x', 'y'],
    });
    expect(extensionLine(invalid, at)).toBe(
      '09:05:07 @acme/kv invalid: tether.entry is missing (and 2 more)',
    );
    expect(extensionLine(snapshot(), at)).toBe('09:05:07 @acme/kv 1.2.0 stopped');
  });

  it('lastProblem: none for a healthy extension', () => {
    expect(lastProblem(snapshot())).toBeUndefined();
    expect(lastProblem(snapshot({ problems: [] }))).toBeUndefined();
  });
});
