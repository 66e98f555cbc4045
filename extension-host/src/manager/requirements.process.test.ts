// `tether.requires`: providers start first; an unmet requirement fails the start and refuses the install.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probe } from './test-fixtures/manager-contract.js';
import { ManagerTestbed } from './test-fixtures/manager-testbed.js';
import { rejectionOf } from '../../../sdk/src/test-support/rejection-of.js';

let bed: ManagerTestbed;
beforeEach(async () => {
  bed = await ManagerTestbed.create();
});
afterEach(async () => {
  await bed.dispose();
});

describe('requirements between extensions', () => {
  it('starts the provider of a required service before the extension that requires it', async () => {
    await bed.addExtension({ name: 'provider', services: { probe: [1, 2] } });
    await bed.addExtension({ name: 'consumer', services: { other: [1] }, requires: { probe: '^2' } });
    const manager = await bed.manager();
    const order: string[] = [];
    manager.onDidChangeState((change) => {
      if (change.to === 'running') order.push(change.id);
    });
    await manager.start('consumer');
    expect(order).toEqual(['provider', 'consumer']);
  });

  it('fails the start of an extension whose requirement nobody meets, saying what is missing', async () => {
    await bed.addExtension({ name: 'provider', services: { probe: [1] } });
    await bed.addExtension({ name: 'needy', requires: { probe: '^2' } });
    const manager = await bed.manager();
    const failure = await rejectionOf(manager.service('needy', probe).echo(1));
    expect(failure.code).toBe('REQUIREMENT_UNMET');
    expect(failure.message).toMatch(/service "probe" at \^2: provider serves it at 1/);
    expect(manager.get('needy').state).toBe('failed');
  });

  it('does not count a disabled provider', async () => {
    await bed.addExtension({ name: 'provider', services: { probe: [2] } });
    await bed.addExtension({ name: 'consumer', services: { other: [1] }, requires: { probe: '^2' } });
    const manager = await bed.manager();
    await manager.disable('provider');
    expect((await rejectionOf(manager.start('consumer'))).code).toBe('REQUIREMENT_UNMET');
  });

  it('refuses to install an extension whose requirements no installed extension meets', async () => {
    const folder = await bed.addExtension({
      name: 'orphan',
      services: { other: [1] },
      requires: { storage: '>=1' },
    });
    const manager = await bed.manager({ extensionFolders: [] });
    const failure = await rejectionOf(manager.install(folder, { allowUnsigned: true }));
    expect(failure.code).toBe('REQUIREMENT_UNMET');
    expect(failure.message).toMatch(/service "storage" at >=1: no installed extension serves it/);
    expect(manager.list()).toEqual([]);
  });
});
