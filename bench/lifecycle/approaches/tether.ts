// Tether through the real host path: a PluginClient started with the NodeRunner on the bundled serve()
// plugin (entry check, private socket dir, spawn, connect, handshake), `dispense`, one call; stop is
// `client.stop()` (STOP request → the plugin exits 0 → exit observed with its output drained).
import { performance } from 'node:perf_hooks';
import {
  NodeRunner,
  PluginClient,
  type LaunchSpec,
  type LaunchedPlugin,
  type Runner,
} from '@tether/extension-host';
import type { ChildBundles } from '../bundle-children.js';
import { calc, handshake } from '../children/contract.js';
import type { LifecycleApproach, LiveChild } from '../lifecycle-approach.js';

/**
 * The NodeRunner, noting when the process was spawned and when it connected. Only timestamps: the
 * launched plugin goes to the client untouched (its `connection()` is one promise, whoever awaits it).
 */
class TimingRunner implements Runner {
  readonly kind = 'node' as const;
  readonly #inner = new NodeRunner();
  readonly #mark: (phase: string) => void;

  constructor(mark: (phase: string) => void) {
    this.#mark = mark;
  }

  async launch(spec: LaunchSpec, handshakeEnv: Readonly<Record<string, string>>): Promise<LaunchedPlugin> {
    const launched = await this.#inner.launch(spec, handshakeEnv);
    this.#mark('spawned');
    launched.connection().then(
      () => this.#mark('connected'),
      () => {},
    );
    return launched;
  }
}

/** Extra Node flags for the plugin (e.g. `--cpu-prof`), for profiling runs. */
let pluginNodeArgs: readonly string[] = [];
export function setTetherPluginNodeArgs(args: readonly string[]): void {
  pluginNodeArgs = args;
}

async function startTether(entry: string): Promise<LiveChild> {
  const began = performance.now();
  const phases: Record<string, number> = {};
  const mark = (phase: string): void => {
    phases[phase] = performance.now() - began;
  };
  const client = await PluginClient.start({
    spec: { name: 'lifecycle-bench', entry, nodeArgs: pluginNodeArgs },
    handshake,
    runner: new TimingRunner(mark),
  });
  mark('handshake');
  try {
    const sum = await client.dispense(calc).add(1, 2);
    if (sum !== 3) throw new Error(`the plugin answered add(1, 2) with ${sum}`);
  } catch (error) {
    client.dispose();
    throw error;
  }
  mark('firstCall');
  return {
    pid: client.pid,
    startMs: phases.firstCall!,
    phases,
    async stop() {
      const status = await client.stop();
      if (status.code !== 0) throw new Error(`the plugin stopped with ${JSON.stringify(status)}, not code 0`);
    },
  };
}

export const tether: LifecycleApproach = {
  id: 'tether',
  label: 'Tether (PluginClient + NodeRunner, Unix socket, bundled plugin)',
  kind: 'tether',
  stopHow: 'client.stop(): STOP request, plugin exits 0, exit observed',
  start: (bundles: ChildBundles) => startTether(bundles.files['tether-plugin']),
};

export const tetherUnbundled: LifecycleApproach = {
  id: 'tether-unbundled',
  label: 'Tether, plugin with the sdk unbundled (one file per module)',
  kind: 'variant',
  stopHow: 'client.stop()',
  notApplicable: {
    groupRssMB: 'not run as a group: a layout variant, its single idle figures show the difference',
    groupPssMB: 'not run as a group (layout variant)',
    groupHostCpu: 'not run as a group (layout variant)',
    groupChildCpuStat: 'not run as a group (layout variant)',
    groupChildCpuRun: 'not run as a group (layout variant)',
    groupChildWakeups: 'not run as a group (layout variant)',
  },
  start: (bundles: ChildBundles) => startTether(bundles.unbundledTetherPlugin),
};
