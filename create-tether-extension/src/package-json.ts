// The generated project's package.json: an ES-module TypeScript project whose `tether` section makes it an
// extension (the manifest, docs/manifest.md), with the scripts that build, test and run it.
import { MAX_DISPLAY_NAME_LENGTH, NODE_ENGINES, TYPES_NODE_RANGE, TYPESCRIPT_RANGE } from './constants.js';
import type { HandshakeCookie } from './handshake-cookie.js';
import { unscopedName } from './package-name.js';

export interface ProjectPackageJsonOptions {
  /** The npm package name, already valid: the extension's id. */
  readonly name: string;
  /** The version of the Tether packages the project depends on (`^` of it), and the host range. */
  readonly tetherVersion: string;
  readonly handshake: HandshakeCookie;
}

/** The service the template's contract declares (src/contract.ts), and its app protocol version. */
export const TEMPLATE_SERVICE = 'counter';
const TEMPLATE_SERVICE_VERSION = 1;

/** The new project's own version. */
export const PROJECT_VERSION = '0.1.0';

/** The plugin's compiled entry: what `serve()`s, named by the manifest. */
export const PLUGIN_ENTRY = 'dist/plugin.js';
/** The compiled test file(s) `npm test` runs (named one by one: Node 20 takes no glob, Node 21+ no folder). */
export const COMPILED_TESTS = 'dist/plugin.test.js';

/** For people: `@acme/my-counter` → `My counter`. */
export function displayNameOf(name: string): string {
  const words = unscopedName(name)
    .split(/[-._~]+/)
    .filter(Boolean)
    .join(' ');
  const display = words.charAt(0).toUpperCase() + words.slice(1);
  return (display === '' ? name : display).slice(0, MAX_DISPLAY_NAME_LENGTH);
}

/** The file `npm pack` (and `tether pack`) names a package: `@acme/kv` 0.1.0 → `acme-kv-0.1.0.tgz`. */
export function tarballName(name: string, version = PROJECT_VERSION): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

export function projectPackageJson({ name, tetherVersion, handshake }: ProjectPackageJsonOptions): string {
  const tetherRange = `^${tetherVersion}`;
  const manifest = {
    name,
    version: PROJECT_VERSION,
    private: true,
    description: `${displayNameOf(name)}: a Tether extension (a plugin process serving the ${TEMPLATE_SERVICE} service).`,
    type: 'module',
    engines: { node: NODE_ENGINES },
    // What `tether pack` puts in the extension's package: the compiled plugin, without tests or the host.
    files: ['dist', '!dist/**/*.test.*', '!dist/host.*'],
    scripts: {
      build: 'tsc',
      test: `tsc && node --test ${COMPILED_TESTS}`,
      start: 'tsc && node dist/host.js',
    },
    dependencies: { '@tether/sdk': tetherRange },
    // Installed extensions get no `npm install`: the sdk travels inside the package (`tether pack`).
    bundleDependencies: ['@tether/sdk'],
    devDependencies: {
      '@tether/extension-host': tetherRange,
      '@types/node': TYPES_NODE_RANGE,
      typescript: TYPESCRIPT_RANGE,
    },
    tether: {
      entry: PLUGIN_ENTRY,
      runner: 'node',
      services: { [TEMPLATE_SERVICE]: [TEMPLATE_SERVICE_VERSION] },
      host: tetherRange,
      displayName: displayNameOf(name),
      handshake: { cookieKey: handshake.cookieKey, cookieValue: handshake.cookieValue },
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
