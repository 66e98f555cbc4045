// A host process for the host-death tests: starts tree-plugin.ts with the runner options given as JSON in
// argv[2], runs the actions in argv[3…] (child | escapee | hang), prints one JSON line
// { plugin, containment, child?, escapee? } and waits to be killed.
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NodeRunner } from '../../runner/node-runner.js';
import type { RunnerOptions } from '../../runner/runner-options.js';
import { TSX_LOADER } from '../../runner/test-fixtures/fixture-paths.js';
import { PluginClient } from '../plugin-client.js';
import { fixtureHandshake } from './contract.js';
import { tree } from './tree-contract.js';

const options = JSON.parse(process.argv[2] ?? '{}') as RunnerOptions;
const actions = process.argv.slice(3);
const runner = new NodeRunner({ ...options, output: null });
let containment = '';
const client = await PluginClient.start({
  spec: {
    name: 'tree',
    entry: fileURLToPath(new URL('./tree-plugin.ts', import.meta.url)),
    nodeArgs: ['--conditions=tether-source', '--import', TSX_LOADER],
  },
  handshake: fixtureHandshake,
  runner: {
    kind: 'node',
    launch: async (spec, env) => {
      const launched = await runner.launch(spec, env);
      containment = launched.containment;
      return launched;
    },
  },
});
const remote = client.dispense(tree);
const report: Record<string, number | string> = { plugin: client.pid, containment };
for (const action of actions) {
  if (action === 'child') report['child'] = await remote.child();
  else if (action === 'escapee') report['escapee'] = await remote.escapee();
  else if (action === 'hang') {
    const marker = join(mkdtempSync(join(tmpdir(), 'tether-hang-')), 'stuck');
    await remote.hang(marker);
    while (!existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 5));
    rmSync(dirname(marker), { recursive: true });
  }
}
process.stdout.write(`${JSON.stringify(report)}\n`);
setInterval(() => undefined, 1000);
