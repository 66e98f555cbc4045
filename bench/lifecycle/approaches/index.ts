// Every approach of the lifecycle bench, in the order the report lists them.
import type { LifecycleApproach } from '../lifecycle-approach.js';
import { bareNode } from './bare-node.js';
import { birpc, comlinkFork, rawIpc, vscodeJsonrpc } from './fork-approaches.js';
import { rawUnix } from './raw-unix.js';
import { tether, tetherUnbundled } from './tether.js';

export { setTetherPluginNodeArgs } from './tether.js';

export const LIFECYCLE_APPROACHES: readonly LifecycleApproach[] = [
  tether,
  tetherUnbundled,
  bareNode,
  rawUnix,
  rawIpc,
  vscodeJsonrpc,
  birpc,
  comlinkFork,
];
