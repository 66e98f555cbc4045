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
      'app/host/**/*.test.ts',
      'app/renderer/src/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Generous: tests that start real plugin processes take ~1 s each on an idle machine and over 10 s on a
    // loaded one (npm run test:stress); a deadline in a test must not be what fails it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    typecheck: {
      enabled: true,
      include: ['sdk/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
