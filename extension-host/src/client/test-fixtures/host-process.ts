// A host process for the orphan test: starts the fixture plugin, prints its pid, then waits to be killed.
import { NodeRunner } from '../../runner/node-runner.js';
import { TSX_LOADER } from '../../runner/test-fixtures/fixture-paths.js';
import { PluginClient } from '../plugin-client.js';
import { fixtureHandshake } from './contract.js';

const client = await PluginClient.start({
  spec: {
    name: 'orphan-check',
    entry: new URL('./misbehaving-plugin.ts', import.meta.url).pathname,
    args: ['well-behaved'],
    nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
  },
  handshake: fixtureHandshake,
  runner: new NodeRunner({ output: null }),
});
process.stdout.write(`${client.pid}\n`);
setInterval(() => undefined, 1000);
