// ESLint flat config: type-checked typescript-eslint rules, Prettier for formatting,
// and one import-direction rule per layer (transport → mux → rpc → plugin → manager → app).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Layers of @tether/sdk, lowest first. A layer may import only from layers before it. */
const sdkLayers = ['errors', 'transport', 'mux', 'codec', 'rpc', 'plugin'];

/** The import patterns every file of a layer folder of @tether/sdk is held to. */
function sdkLayerPatterns(layer) {
  const index = sdkLayers.indexOf(layer);
  return [
    ...sdkLayers.slice(index + 1).map((above) => ({
      group: [`../${above}/*`, `../../${above}/*`, `**/src/${above}/*`],
      message: `The ${layer} layer must not import from the ${above} layer above it (imports point down only).`,
    })),
    {
      group: ['electron', 'node-pty', '@tether/extension-host', '@tether/extension-host/*'],
      message: '@tether/sdk never imports electron, node-pty or the extension host.',
    },
  ];
}

const layerRules = sdkLayers.map((layer) => ({
  files: [`sdk/src/${layer}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns: sdkLayerPatterns(layer) }] },
}));

/**
 * What runs in any JS runtime — a browser too (`@tether/sdk/common`, vscode-jsonrpc's `common/` vs `node/`):
 * these folders of @tether/sdk, except a `node/` folder inside them and tests, and the few files elsewhere
 * that `sdk/src/common.ts` exports. They import no Node module, no `node/` folder (except its types), and use
 * no Node global: Node-only code sits in a `node/` folder behind a seam (`rpc/node-stream-adapter.ts`),
 * installed by the Node entry points.
 */
const neutralSdkFolders = ['common', 'errors', 'transport', 'mux', 'codec', 'rpc'];
const neutralSdkFiles = [
  'sdk/src/common.ts',
  'sdk/src/constants.ts',
  'sdk/src/plugin/service-binding.ts',
  'sdk/src/logging/log-record.ts',
];
const neutralMessage =
  'This part of @tether/sdk runs in any JS runtime, a browser too (@tether/sdk/common): Node-only code goes in a node/ folder, behind a seam the Node entry points install (see rpc/node-stream-adapter.ts).';
/** `node:*`, and Node's builtins by their bare names (`fs`, `fs/promises`, `stream`, …). */
const nodeBuiltinImport = `^(?:node:|(?:${builtinModules.join('|')})(?:/|$))`;
const neutralPatterns = [
  { regex: nodeBuiltinImport, message: neutralMessage },
  { group: ['./node/*', '../node/*', '**/node/*'], allowTypeImports: true, message: neutralMessage },
];
const neutralGlobals = [
  'Buffer',
  'process',
  'setImmediate',
  'clearImmediate',
  'require',
  '__dirname',
  '__filename',
].map((name) => ({ name, message: `${name} is Node's. ${neutralMessage}` }));
const neutralIgnores = ['**/node/**', '**/*.test.ts', '**/*.test-d.ts', '**/test-fixtures/**'];
/** The layer a file belongs to (its folder), if any: a neutral file keeps its layer's import patterns. */
const layerOf = (file) => sdkLayers.find((layer) => file.startsWith(`sdk/src/${layer}/`));
const neutralRules = [
  ...neutralSdkFolders.map((folder) => `sdk/src/${folder}/**/*.ts`),
  ...neutralSdkFiles,
].map((files) => {
  const layer = layerOf(files);
  return {
    files: [files],
    ignores: neutralIgnores,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...(layer === undefined ? { paths: ['electron', 'node-pty'] } : {}),
          patterns: [
            ...(layer === undefined
              ? [
                  {
                    group: ['@tether/extension-host', '@tether/extension-host/*'],
                    message: '@tether/sdk never imports the extension host.',
                  },
                ]
              : sdkLayerPatterns(layer)),
            ...neutralPatterns,
          ],
        },
      ],
      'no-restricted-globals': ['error', ...neutralGlobals],
    },
  };
});

/**
 * `electron` cannot load in plain Node (its binary is missing there, and `require('electron')` throws): only
 * the Electron glue imports it as a value — app/main/electron/, app/preload/ and extension-host/src/electron/
 * — so everything else runs, and is tested, in Node. Types are fine anywhere.
 */
const electronGlueFolders = ['app/main/electron/**', 'app/preload/**', 'extension-host/src/electron/**'];
const electronOnlyInGlue = {
  name: 'electron',
  message:
    "Only the Electron glue (app/main/electron/, app/preload/, extension-host/src/electron/) imports electron's values; elsewhere `import type`, or take the value as a parameter.",
  allowTypeImports: true,
};

/**
 * Layers of @tether/extension-host, lowest first: the plugin layer (launching, the client, logs, manifests),
 * then the manager (registry, supervisor, install), then the web host (the UI in a browser), then the CLI on
 * top. A folder may import only from its own layer or the ones below it.
 */
const hostLayers = [
  ['process', 'runner', 'client', 'logging', 'manifest', 'terminal', 'electron'],
  ['manager', 'install'],
  ['web'],
  ['cli'],
];

const hostLayerRules = hostLayers.flatMap((folders, index) => {
  const above = hostLayers.slice(index + 1).flat();
  if (above.length === 0) return [];
  const patterns = above.map((folder) => ({
    group: [`../${folder}/*`, `../../${folder}/*`, `**/src/${folder}/*`],
    message: `extension-host/src/${folder}/ is a layer above this one: imports point down only (plugin → manager → web → cli).`,
  }));
  // The electron/ folder shares its layer with the others but alone may import electron.
  return [
    {
      files: folders
        .filter((folder) => folder !== 'electron')
        .map((folder) => `extension-host/src/${folder}/**/*.ts`),
      rules: { 'no-restricted-imports': ['error', { patterns, paths: [electronOnlyInGlue] }] },
    },
    ...(folders.includes('electron')
      ? [
          {
            files: ['extension-host/src/electron/**/*.ts'],
            rules: { 'no-restricted-imports': ['error', { patterns }] },
          },
        ]
      : []),
  ];
});

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**', 'coverage/**', 'out/**', '.vite/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'scripts/*.mjs',
            'extension-host/bin/*.js',
            'create-tether-extension/bin/*.js',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test-d.ts', '**/test-fixtures/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    // The project create-tether-extension writes tests with node:test, whose test() returns a promise
    // that the runner awaits.
    files: ['create-tether-extension/template/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
    },
  },
  // Everywhere first; the folder rules below replace it for their files, each forbidding electron as well.
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: electronGlueFolders,
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInGlue] }] },
  },
  ...layerRules,
  {
    files: ['sdk/src/**/*.ts'],
    ignores: sdkLayers.map((l) => `sdk/src/${l}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'node-pty'], patterns: ['@tether/extension-host', '@tether/extension-host/*'] },
      ],
    },
  },
  // After the rules above: for the files they share, these replace them (keeping what they say).
  ...neutralRules,
  {
    files: ['extension-host/src/**/*.ts'],
    ignores: ['extension-host/src/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInGlue] }] },
  },
  ...hostLayerRules,
  {
    // The UI bundle runs in a browser (and in Electron's sandboxed renderer): it talks to the host only
    // through Remote<ManagerApi>. Node modules cannot load there; type-only imports are erased from the bundle.
    files: ['app/renderer/src/**/*.ts', 'app/renderer/src/**/*.tsx'],
    // Its unit tests run in Node and may use the repository's test support.
    ignores: ['app/renderer/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@tether/sdk',
              message:
                "The renderer imports '@tether/sdk/common' (the browser-safe part), never '@tether/sdk'.",
            },
            {
              name: '@tether/sdk/wire',
              message: "The renderer imports '@tether/sdk/common', never '@tether/sdk/wire' (Node modules).",
            },
            {
              name: '@tether/extension-host',
              message:
                "The renderer takes only types from '@tether/extension-host' (import type); at run time only '@tether/extension-host/manager-api'.",
              allowTypeImports: true,
            },
            {
              name: 'electron',
              message: 'The renderer gets no Electron API: it talks to the host through ManagerApi.',
            },
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
            {
              group: ['**/sdk/src/**', '**/extension-host/src/**'],
              message:
                'Import the packages by name (@tether/sdk/common, @tether/extension-host/manager-api).',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract of the Electron app's main process, preload and page is bundled into the page and into
    // the sandboxed preload: it imports nothing, so neither bundle gains a module through it.
    files: ['app/preload/tether-bridge.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '.',
              message:
                'app/preload/tether-bridge.ts is bundled into the page and the sandboxed preload: it imports nothing.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
