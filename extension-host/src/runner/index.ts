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
export type { RunnerOptions } from './runner-options.js';
export type { OutputWriter } from '../process/output-mirror.js';
export { NodeRunner } from './node-runner.js';
export { ExecutableRunner } from './executable-runner.js';
export { PluginExitedError } from './plugin-exited-error.js';
