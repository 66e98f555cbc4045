// The scaffolder's fixed choices, each named once.

/** Exit statuses: done; failed while writing (a file system error); refused (command line, name, folder). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * The generated project's `typescript` and `@types/node` ranges: the ones this repository builds and tests
 * with (its root package.json's devDependencies; a unit test keeps them equal).
 */
export const TYPESCRIPT_RANGE = '^6.0.3';
export const TYPES_NODE_RANGE = '^20.19.43';

/** The Node.js versions the generated project runs on: the Tether packages' own `engines`. */
export const NODE_ENGINES = '>=20.19';

/** The project's files that are copied from the template folder (package.json & co. are generated). */
export const TEMPLATE_FILES = [
  'README.md',
  'src/contract.ts',
  'src/counter.ts',
  'src/plugin.ts',
  'src/host.ts',
  'src/plugin.test.ts',
] as const;

/** What an existing target folder may already hold: a fresh `git init`. Anything else is refused. */
export const ALLOWED_EXISTING_ENTRIES: ReadonlySet<string> = new Set(['.git']);

/** Bytes of randomness in a new project's magic cookie (hex: twice as many characters). */
export const COOKIE_BYTES = 16;

/** The longest `displayName` a manifest accepts. */
export const MAX_DISPLAY_NAME_LENGTH = 100;

/** The longest cookie key (an environment variable name) a manifest accepts. */
export const MAX_COOKIE_KEY_LENGTH = 128;
