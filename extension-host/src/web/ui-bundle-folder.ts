// Where the app's UI bundle is: `renderer/dist/` of the `@tether/app` package, found at run time (the
// extension host does not depend on the app; in this repository both are workspaces).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TetherError } from '@tether/sdk';

/** The bundle's folder inside the `@tether/app` package (Vite's `outDir`). */
export const UI_BUNDLE_SUBFOLDER = path.join('renderer', 'dist');

/**
 * The folder of the built UI bundle (it holds index.html).
 * @throws TetherError INVALID_OPTIONS when `@tether/app` cannot be found or its UI is not built, saying
 *   how to build it.
 */
export function uiBundleFolder(resolveFrom: string = import.meta.url): string {
  let appFolder: string;
  try {
    appFolder = path.dirname(createRequire(resolveFrom).resolve('@tether/app/package.json'));
  } catch (error) {
    throw new TetherError(
      'INVALID_OPTIONS',
      'The Tether UI (the @tether/app package) is not installed here; run this from the Tether repository after "npm install", or give the folder of a built UI with --ui-root <dir>.',
      { cause: error },
    );
  }
  const folder = path.join(appFolder, UI_BUNDLE_SUBFOLDER);
  if (!existsSync(path.join(folder, 'index.html'))) {
    throw new TetherError(
      'INVALID_OPTIONS',
      `The Tether UI is not built (no ${path.join(folder, 'index.html')}); build it with "npm run build -w app" and try again.`,
    );
  }
  return folder;
}
