// The runners: how plugin processes are started, watched and stopped.
export type {
  LaunchSpec,
  LaunchedPlugin,
  OutputLine,
  Runner,
  ExitStatus,
  ContainmentLevel,
  ContainmentMode,
} from './runner.js';
export { containmentLevel } from '../process/containment.js';
export type { RunnerOptions, ResolvedRunnerOptions } from './runner-options.js';
export { resolveRunnerOptions } from './runner-options.js';
export { NodeRunner } from './node-runner.js';
export { ExecutableRunner } from './executable-runner.js';
export { PluginExitedError } from './plugin-exited-error.js';
