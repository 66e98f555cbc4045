import type * as nodePty from 'node-pty';
import { TetherError } from '@tether/sdk';

type NodePty = typeof nodePty;

let loading: Promise<NodePty> | undefined;

/**
 * node-pty, loaded on first use rather than at import: it is a native module, and a host that never starts a
 * pty plugin must keep working where it is missing or built for another ABI (a Node build loaded in
 * Electron). Rejects with PTY_UNAVAILABLE saying how to fix it; a failed load is retried next time.
 */
export function loadNodePty(): Promise<NodePty> {
  loading ??= import('node-pty').then(
    (module) => module,
    (error: unknown) => {
      loading = undefined;
      throw new TetherError(
        'PTY_UNAVAILABLE',
        `The pty runner needs node-pty, which could not be loaded: ${(error as Error).message}. ` +
          'Install it (npm install node-pty) and let its install script build it; in Electron, rebuild it for ' +
          "Electron's ABI (@electron/rebuild, which Electron Forge runs when packaging) and unpack it from " +
          'the asar archive (see docs/packaging.md). Or run the extension with the "node" runner.',
        { cause: error },
      );
    },
  );
  return loading;
}
