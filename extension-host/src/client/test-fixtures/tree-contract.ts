// Contract of the process-tree fixture plugin (tree-plugin.ts): a plugin that starts descendants the way
// real plugins do, for the host-death and containment tests (issue 10).
import { defineService } from '@tether/sdk';

export interface Tree {
  /** Starts a child in the plugin's process group that ignores SIGTERM; returns its pid. */
  child(): number;
  /** Starts a process that leaves the plugin's process group with setsid() (spawned detached); its pid. */
  escapee(): number;
  /** Answers, then blocks the plugin's event loop for good, after creating the file `marker`. */
  hang(marker: string): void;
}

export const tree = defineService<Tree>()('tree', { methods: { child: {}, escapee: {}, hang: {} } });
