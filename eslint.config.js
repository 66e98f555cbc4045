// ESLint flat config: type-checked typescript-eslint rules, Prettier for formatting,
// and one import-direction rule per layer (transport → mux → rpc → plugin → manager → app).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Layers of @tether/sdk, lowest first. A layer may import only from layers before it. */
const sdkLayers = ['errors', 'transport', 'mux', 'codec', 'rpc', 'plugin'];

const layerRules = sdkLayers.map((layer, index) => ({
  files: [`sdk/src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...sdkLayers.slice(index + 1).map((above) => ({
            group: [`../${above}/*`, `../../${above}/*`, `**/src/${above}/*`],
            message: `The ${layer} layer must not import from the ${above} layer above it (imports point down only).`,
          })),
          {
            group: ['electron', 'node-pty', '@tether/extension-host', '@tether/extension-host/*'],
            message: '@tether/sdk never imports electron, node-pty or the extension host.',
          },
        ],
      },
    ],
  },
}));

/**
 * Layers of @tether/extension-host, lowest first: the plugin layer (launching, the client, logs, manifests),
 * then the manager (registry, supervisor, install), then the CLI on top. A folder may import only from its
 * own layer or the ones below it.
 */
const hostLayers = [
  ['process', 'runner', 'client', 'logging', 'manifest', 'terminal', 'electron'],
  ['manager', 'install'],
  ['cli'],
];

const hostLayerRules = hostLayers.flatMap((folders, index) => {
  const above = hostLayers.slice(index + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      files: folders.map((folder) => `extension-host/src/${folder}/**/*.ts`),
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: above.map((folder) => ({
              group: [`../${folder}/*`, `../../${folder}/*`, `**/src/${folder}/*`],
              message: `extension-host/src/${folder}/ is a layer above this one: imports point down only (plugin → manager → cli).`,
            })),
            paths: folders.includes('electron')
              ? []
              : [
                  {
                    name: 'electron',
                    message:
                      'Only extension-host/src/electron/ adapters import electron (it cannot load in plain Node).',
                    allowTypeImports: true,
                  },
                ],
          },
        ],
      },
    },
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
          allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'extension-host/bin/*.js'],
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
  {
    files: ['extension-host/src/**/*.ts'],
    ignores: ['extension-host/src/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only extension-host/src/electron/ adapters import electron (it cannot load in plain Node).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  ...hostLayerRules,
  prettier,
);
