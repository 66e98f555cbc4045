// The table `tether list` prints.
import { describe, expect, it } from 'vitest';
import type { ExtensionSnapshot } from '../manager/extension-state.js';
import { formatExtensionTable } from './list-command.js';

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
describe('tether list table', () => {
  it('pads the columns, prints - for what is absent and the last error’s first line', () => {
    const table = formatExtensionTable([
      snapshot({ state: 'running', pid: 4242, restarts: 2, lastError: crash }),
      snapshot({ id: 'b', version: '', state: 'invalid', problems: ['bad manifest'] }),
    ]);
    expect(table).toBe(
      'ID        VERSION  STATE    PID   RESTARTS  LAST ERROR\n' +
        '@acme/kv  1.2.0    running  4242  2         PLUGIN_EXITED: Plugin "@acme/kv" exited with code 3. …\n' +
        'b         -        invalid  -     0         bad manifest\n',
    );
  });
});
