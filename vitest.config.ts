import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['tether-source'],
  },
  ssr: {
    resolve: {
      conditions: ['tether-source'],
    },
  },
  test: {
    include: [
      'test/**/*.test.ts',
      'sdk/src/**/*.test.ts',
      'extension-host/src/**/*.test.ts',
      'sample-extensions/*/src/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    typecheck: {
      enabled: true,
      include: ['sdk/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
