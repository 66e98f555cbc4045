// startExtension: an installed extension folder started the way an app does, with a real plugin process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { implement } from '@tether/sdk';
import { FIXTURE_START_TIMEOUT_MS } from '../runner/test-fixtures/fixture-paths.js';
import { startExtension } from './start-extension.js';
import type { PluginClient } from './plugin-client.js';
import { fixture, fixtureHandshake, hostHelper } from './test-fixtures/contract.js';

const pluginSource = fileURLToPath(new URL('./test-fixtures/misbehaving-plugin.ts', import.meta.url));
const dirs: string[] = [];
const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An extension folder whose entry re-exports the fixture plugin, with the given host APIs. */
async function extension(hostApis: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tether-ext-'));
  dirs.push(dir);
  await writeFile(
    join(dir, 'plugin.ts'),
    `process.argv[2] = 'well-behaved';\nawait import(${JSON.stringify(pluginSource)});\n`,
  );
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'fixture-extension',
      version: '1.0.0',
      type: 'module',
      tether: {
        entry: 'plugin.ts',
        runner: 'node',
        services: { fixture: [1] },
        host: '>=0.1.0',
        hostApis,
        handshake: fixtureHandshake,
      },
    }),
  );
  return dir;
}

describe('startExtension', () => {
  it('starts an extension from its folder and exposes the host services its manifest asks for', async () => {
    const { client, manifest } = await startExtension(await extension(['fixture.host']), {
      hostServices: [implement(hostHelper, { triple: (n) => n * 3 })],
      runnerOptions: { output: null },
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    clients.push(client);
    expect(manifest.name).toBe('fixture-extension');
    expect(await client.dispense(fixture).callHost(5)).toBe(15);
  });

  it('does not expose host services the manifest does not ask for (capability-scoped host API)', async () => {
    const { client } = await startExtension(await extension([]), {
      hostServices: [implement(hostHelper, { triple: (n) => n * 3 })],
      runnerOptions: { output: null },
      startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    });
    clients.push(client);
    await expect(client.dispense(fixture).callHost(5)).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
  });
});
