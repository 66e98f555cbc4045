// Electron main process only: the utility-process runner bound to Electron's real `utilityProcess`.
import { utilityProcess } from 'electron';
import type { RunnerOptions } from '../runner/runner-options.js';
import { UtilityRunner } from './utility-runner.js';

/** A runner that starts plugins as Electron utility processes (call after `app` is ready). */
export function createUtilityRunner(options?: RunnerOptions): UtilityRunner {
  return new UtilityRunner(
    (modulePath, args, forkOptions) => utilityProcess.fork(modulePath, args, forkOptions),
    options,
  );
}
