import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { TetherError } from '@tether/sdk';

/**
 * True in a checkout of the Tether repository (its build config sits beside this package's package.json;
 * the published package does not ship it): there the `@tether/*` packages resolve to their TypeScript
 * sources (the `tether-source` export condition), so nothing runs a stale build.
 */
const IN_TETHER_CHECKOUT = existsSync(new URL('../../tsconfig.build.json', import.meta.url));

/**
 * Node flags that run a TypeScript entry: tsx's loader (as an absolute URL, so it resolves whatever the
 * child's working directory), found from this package — the app's or the author's project installs it —
 * and, in a checkout of the Tether repository only, the workspace packages' `tether-source` export
 * condition. A built extension whose entry is JavaScript needs neither. Throws ENTRY_NOT_EXECUTABLE
 * without tsx.
 */
export function typeScriptNodeArgs(): string[] {
  let loader: string;
  try {
    loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    throw new TetherError(
      'ENTRY_NOT_EXECUTABLE',
      'The extension entry is a TypeScript file, which needs tsx to run: install it (npm install -D tsx) or point tether.entry at the built .js file.',
    );
  }
  return [...(IN_TETHER_CHECKOUT ? ['--conditions=tether-source'] : []), '--import', loader];
}
