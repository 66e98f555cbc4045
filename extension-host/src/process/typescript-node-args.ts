import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { TetherError } from '@tether/sdk';

/**
 * Node flags that run a TypeScript entry from source: the workspace packages' `tether-source` export
 * condition and tsx's loader (as an absolute URL, so it resolves whatever the child's working directory).
 * A built extension whose entry is JavaScript needs neither. Throws ENTRY_NOT_EXECUTABLE without tsx.
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
  return ['--conditions=tether-source', '--import', loader];
}
