// Electron's RunAsNode fuse, chosen when the app is built. Off (Forge's template, the default), the app's
// executable never runs as plain Node, whatever ELECTRON_RUN_AS_NODE says: code that can start the app
// cannot use it as a Node with the app's identity (its signature, its macOS permissions). TTY extensions
// then run with a Node.js from PATH, found at each start. On (`TETHER_RUN_AS_NODE=on npm run make`), they
// run with the app's own executable as Node and need nothing installed. docs/packaging.md, "Fuses".
//
// Imports nothing: forge.config.ts and app/vite.main.config.ts load it at build time.

/** The build's environment variable: `on` or `off` (the default). */
export const RUN_AS_NODE_ENV = 'TETHER_RUN_AS_NODE';

/** The fuse's value for a build environment; throws naming the variable on anything but on/off/unset. */
export function runAsNodeFuse(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env[RUN_AS_NODE_ENV];
  if (value === undefined || value === '' || value === 'off') return false;
  if (value === 'on') return true;
  throw new Error(
    `${RUN_AS_NODE_ENV} must be "on" or "off" (the default), not ${JSON.stringify(value)}: it sets Electron's ` +
      'RunAsNode fuse of the packaged app (docs/packaging.md, "Fuses").',
  );
}
