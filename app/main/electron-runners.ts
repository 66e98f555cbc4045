// Which runner starts an extension in the Electron app: Node code ("node" and "utility" runners) in an
// Electron utility process — a Chromium-managed child with its own MessagePort, shown by its extension id in
// the task manager (UtilityRunner's `serviceName`) — and "pty" extensions in a pseudo-terminal (PtyRunner,
// with the Node the build's RunAsNode fuse allows: ./pty-node.ts). Anything else keeps the manager's default.
import type { ExtensionManifest, Runner } from '@tether/extension-host';

/** The runners the app holds, one of each kind (a runner keeps no per-extension state). */
export interface ElectronRunners {
  /** `createUtilityRunner()` of extension-host/src/electron/utility-runner-main.ts. */
  readonly utility: Runner;
  /** A `PtyRunner`. */
  readonly pty: Runner;
}

/** The manager's `runnerFor` option for the app. */
export function electronRunnerFor(
  runners: ElectronRunners,
): (manifest: Pick<ExtensionManifest, 'runner'>) => Runner | undefined {
  return (manifest) => {
    switch (manifest.runner) {
      case 'node':
      case 'utility':
        return runners.utility;
      case 'pty':
        return runners.pty;
      default:
        // "executable": a program in any language, started as the manager starts it everywhere.
        return undefined;
    }
  };
}
