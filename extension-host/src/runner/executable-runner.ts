import { TetherError } from '@tether/sdk';
import type { LaunchSpec, LaunchedPlugin, Runner } from './runner.js';
import { resolveRunnerOptions, type ResolvedRunnerOptions, type RunnerOptions } from './runner-options.js';
import { launchProcess } from './spawned-plugin.js';

/**
 * Runs a plugin that is an executable of its own (any language that speaks the protocol over
 * `TETHER_SOCKET`): the entry is executed directly with `args`. The entry must have the execute permission.
 */
export class ExecutableRunner implements Runner {
  readonly kind = 'executable' as const;
  readonly #options: ResolvedRunnerOptions;

  constructor(options: RunnerOptions = {}) {
    this.#options = resolveRunnerOptions(options);
  }

  launch(spec: LaunchSpec, handshakeEnv: Readonly<Record<string, string>>): Promise<LaunchedPlugin> {
    if (spec.nodeArgs !== undefined && spec.nodeArgs.length > 0) {
      return Promise.reject(
        new TetherError(
          'INVALID_OPTIONS',
          `Plugin "${spec.name}" has nodeArgs, but it is started as an executable; use the node runner for a Node script.`,
        ),
      );
    }
    return launchProcess(spec, handshakeEnv, this.#options, true, (entryPath) => ({
      command: entryPath,
      args: [...(spec.args ?? [])],
    }));
  }
}
