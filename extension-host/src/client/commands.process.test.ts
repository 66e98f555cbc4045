// Contributed commands in a real plugin process: the fixture plugin in its 'commands' mode
// (test-fixtures/misbehaving-plugin.ts with test-fixtures/fixture-commands.ts) serves `tether.commands`,
// and the host runs its commands through `commandService`.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_SERVICE_NAME, RemoteError, commandService } from '@tether/sdk';
import { NodeRunner } from '../runner/node-runner.js';
import { FIXTURE_START_TIMEOUT_MS, TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { PluginClient } from './plugin-client.js';
import { fixture, fixtureHandshake } from './test-fixtures/contract.js';

const entry = fileURLToPath(new URL('./test-fixtures/misbehaving-plugin.ts', import.meta.url));
const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

async function start(mode: string): Promise<PluginClient> {
  const client = await PluginClient.start({
    spec: {
      name: `fixture-${mode}`,
      entry,
      args: [mode],
      nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
    },
    handshake: fixtureHandshake,
    runner: new NodeRunner({ output: null }),
    startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
  });
  clients.push(client);
  return client;
}

describe('contributed commands in a plugin process', () => {
  it('the plugin serves tether.commands beside its services only when it registers commands', async () => {
    const [withCommands, without] = await Promise.all([start('commands'), start('well-behaved')]);
    expect(withCommands.services).toEqual(['fixture', COMMAND_SERVICE_NAME]);
    expect(without.services).toEqual(['fixture']);
    expect(await withCommands.dispense(commandService).list()).toEqual([
      'fixture.latest',
      'fixture.fill',
      'fixture.pid',
    ]);
    // The plugin's own services work as before.
    expect(await withCommands.dispense(fixture).add(2, 3)).toBe(5);
    expect(() => without.dispense(commandService)).toThrow(
      expect.objectContaining({ code: 'SERVICE_NOT_FOUND' }),
    );
  });

  it('runs a command in the plugin process: a Map argument in, a Date out', async () => {
    const client = await start('commands');
    const commands = client.dispense(commandService);
    expect(await commands.execute('fixture.pid', [])).toBe(client.pid);
    const result = await commands.execute('fixture.latest', [
      new Map([
        ['a', new Date(Date.UTC(2024, 0, 1))],
        ['b', new Date(Date.UTC(2024, 5, 1))],
        ['c', new Date(Date.UTC(2023, 0, 1))],
      ]),
    ]);
    expect(result).toEqual({ key: 'b', at: new Date(Date.UTC(2024, 5, 1)) });
    expect((result as { at: unknown }).at).toBeInstanceOf(Date);
  });

  it('an unknown command rejects with COMMAND_NOT_FOUND naming the registered ones', async () => {
    const client = await start('commands');
    const error = (await client
      .dispense(commandService)
      .execute('fixture.lastest', [])
      .catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.code).toBe('COMMAND_NOT_FOUND');
    expect(error.message).toContain(
      'This plugin has no command "fixture.lastest" (its commands are "fixture.latest", "fixture.fill", "fixture.pid")',
    );
  });

  it('a throwing command’s error keeps its name, code, message, stack and cause', async () => {
    const client = await start('commands');
    const error = (await client
      .dispense(commandService)
      .execute('fixture.fill', [1024])
      .catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      name: 'StoreFullError',
      code: 'STORE_FULL',
      message: 'the store cannot take 1024 more bytes',
    });
    expect(error.remoteStack).toContain('fixture-commands.ts');
    expect(error.stack).toContain(`<remote call ${COMMAND_SERVICE_NAME}.execute>`);
    expect(error.cause).toBeInstanceOf(RemoteError);
    expect(error.cause).toMatchObject({ name: 'RangeError', message: 'quota: 0 bytes left' });
  });
});
