// Test-only: where the runner fixture is and how to start it with Node (through tsx's loader).
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The fixture script; its first argument picks its behaviour. */
export const FIXTURE_PLUGIN = fileURLToPath(new URL('./fixture-plugin.ts', import.meta.url));

/** tsx's loader as an absolute URL, so `--import` works whatever the child's working directory. */
export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Node flags that let the fixture (TypeScript) run: pass as `LaunchSpec.nodeArgs`. */
export const FIXTURE_NODE_ARGS: readonly string[] = ['--import', TSX_LOADER];

/**
 * The start timeout for tests that expect a TypeScript fixture plugin to start (`startTimeoutMs`). Node and
 * tsx take about 1 s on an idle machine and more than the product's 10 s default on a loaded 2-core one (seen
 * under `npm run test:stress`); a test's deadline is generous, never a figure.
 */
export const FIXTURE_START_TIMEOUT_MS = 30_000;
