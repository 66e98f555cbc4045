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
      'ID        VERSION  STATE    PID   RESTARTS  PUBLISHER  SIGNATURE   LAST ERROR\n' +
        '@acme/kv  1.2.0    running  4242  2         -          dev folder  PLUGIN_EXITED: Plugin "@acme/kv" exited with code 3. …\n' +
        'b         -        invalid  -     0         -          dev folder  bad manifest\n',
    );
  });

  it('shows who signed an installed extension, or that it is unsigned', () => {
    const installedAt = Date.UTC(2024, 4, 1);
    const table = formatExtensionTable([
      snapshot({ id: 'a', install: { signed: true, keyId: '0a1b2c', publisher: 'Acme', installedAt } }),
      snapshot({ id: 'b', install: { signed: true, keyId: '3d4e5f', installedAt } }),
      snapshot({ id: 'c', install: { signed: false, installedAt } }),
    ]);
    expect(table).toBe(
      'ID  VERSION  STATE    PID  RESTARTS  PUBLISHER  SIGNATURE  LAST ERROR\n' +
        'a   1.2.0    stopped  -    0         Acme       signed\n' +
        'b   1.2.0    stopped  -    0         3d4e5f     signed\n' +
        'c   1.2.0    stopped  -    0         -          unsigned\n',
    );
  });
});
