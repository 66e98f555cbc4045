import type { LaunchSpec, LaunchedPlugin, Runner } from './runner.js';
import { resolveRunnerOptions, type ResolvedRunnerOptions, type RunnerOptions } from './runner-options.js';
import { launchProcess } from './spawned-plugin.js';

/**
 * Runs a plugin script with the host's own Node (`process.execPath`): `node [...nodeArgs] entry [...args]`,
 * as the leader of its own process group, stdin closed, stdout/stderr read line by line. In Electron's main
 * process `process.execPath` is Electron, so `ELECTRON_RUN_AS_NODE=1` is set to make it behave as Node.
 */
export class NodeRunner implements Runner {
  readonly kind = 'node' as const;
  readonly #options: ResolvedRunnerOptions;

  constructor(options: RunnerOptions = {}) {
    this.#options = resolveRunnerOptions(options);
  }

  launch(spec: LaunchSpec, handshakeEnv: Readonly<Record<string, string>>): Promise<LaunchedPlugin> {
    return launchProcess(spec, handshakeEnv, this.#options, false, (entryPath) => ({
      command: process.execPath,
      args: [...(spec.nodeArgs ?? []), entryPath, ...(spec.args ?? [])],
      env: process.versions.electron === undefined ? undefined : { ELECTRON_RUN_AS_NODE: '1' },
    }));
  }
}
