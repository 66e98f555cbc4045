import { TetherError } from '@tether/sdk';

/**
 * The error for node-pty failing to load. node-pty is loaded only by the pty broker (`pty-broker-main.ts`),
 * on first use rather than by the host: it is a native module, and a host that never starts a pty plugin
 * must keep working where it is missing or built for another ABI (a Node build loaded in Electron).
 */
export function nodePtyUnavailable(cause: Error): TetherError {
  return new TetherError(
    'PTY_UNAVAILABLE',
    `The pty runner needs node-pty, which could not be loaded: ${cause.message}. ` +
      'Install it (npm install node-pty) and let its install script build it; in Electron, rebuild it for ' +
      "Electron's ABI (@electron/rebuild, which Electron Forge runs when packaging) and unpack it from " +
      'the asar archive (see docs/packaging.md). Or run the extension with the "node" runner.',
    { cause },
  );
}
