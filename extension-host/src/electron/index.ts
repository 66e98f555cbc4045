// @tether/extension-host/electron — for an Electron main process: the utility-process runner. The only
// entry whose types need `electron` (an optional peer dependency); the main entry loads in plain Node.
export { createUtilityRunner } from './utility-runner-main.js';
export { UtilityRunner, type UtilityFork } from './utility-runner.js';
