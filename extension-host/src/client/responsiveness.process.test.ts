// Unresponsive detection against real plugin processes (protocol.md section 4.8): a handler that awaits is
// busy, not unresponsive; one that blocks its event loop is unresponsive until it lets go; a plugin that
// does not acknowledge calls (an older SDK) is never flagged. Fixture: test-fixtures/misbehaving-plugin.ts.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { NodeRunner } from '../runner/node-runner.js';
import { FIXTURE_START_TIMEOUT_MS, TSX_LOADER } from '../runner/test-fixtures/fixture-paths.js';
import { PluginClient } from './plugin-client.js';
import { fixture, fixtureHandshake } from './test-fixtures/contract.js';

const entry = fileURLToPath(new URL('./test-fixtures/misbehaving-plugin.ts', import.meta.url));

/** How long the handlers below await or block: far longer than any unresponsive time used here. */
const HANDLER_MS = 3_000;

const clients: PluginClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
});

async function start(mode: string, unresponsiveMs: number) {
  const client = await PluginClient.start({
    spec: {
      name: `responsiveness-${mode}`,
      entry,
      args: [mode],
      nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
    },
    handshake: fixtureHandshake,
    runner: new NodeRunner({ output: null }),
    startTimeoutMs: FIXTURE_START_TIMEOUT_MS,
    unresponsiveMs,
  });
  clients.push(client);
  const changes: boolean[] = [];
  client.onDidChangeResponsiveness((responsive) => changes.push(responsive));
  const remote = client.dispense(fixture);
  // A first call, so that loading and compiling the plugin's code is not part of what is measured.
  expect(await remote.add(1, 2)).toBe(3);
  return { client, remote, changes };
}

describe('unresponsive plugins', () => {
  it('a handler that awaits for seconds is never unresponsive', async () => {
    // The plugin acknowledges the call within an event-loop turn; 1 s leaves room for a loaded machine.
    const { client, remote, changes } = await start('well-behaved', 1_000);
    expect(client.acknowledgesCalls).toBe(true);
    expect(await remote.sleep(HANDLER_MS)).toBe('slept');
    expect(changes).toEqual([]);
    expect(client.responsive).toBe(true);
  });

  it('a handler that blocks its event loop makes the plugin unresponsive, until it answers', async () => {
    const { client, remote, changes } = await start('well-behaved', 500);
    const blocked = remote.block(HANDLER_MS);
    await waitFor(() => changes.includes(false), { what: 'the plugin to be flagged unresponsive' });
    expect(client.responsive).toBe(false);
    expect(await blocked).toBe(HANDLER_MS);
    // The answer itself is the sign of life: responsive again by the time the call resolves.
    expect(changes).toEqual([false, true]);
    expect(client.responsive).toBe(true);
    expect(await remote.add(2, 2)).toBe(4);
    expect(client.peer.stats().unacknowledgedCalls).toBe(0);
  });

  it('a plugin that does not acknowledge calls (an older SDK) is never flagged, even when it blocks', async () => {
    const { client, remote, changes } = await start('no-acks', 500);
    expect(client.acknowledgesCalls).toBe(false);
    expect(client.peer.expectsAcks).toBe(false);
    expect(await remote.block(HANDLER_MS)).toBe(HANDLER_MS);
    expect(changes).toEqual([]);
    expect(client.responsive).toBe(true);
  });
});
