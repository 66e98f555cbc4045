import { availableParallelism } from 'node:os';
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
      'app/main/**/*.test.ts',
      'app/preload/**/*.test.ts',
      'app/renderer/src/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Generous: tests that start real plugin processes take ~1 s each on an idle machine and over 10 s on a
    // loaded one (npm run test:stress); a deadline in a test must not be what fails it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one — every file in a row.
    // Two workers there: the suite took 297 s instead of 427 s, all green (its tests await conditions and
    // pass under load: npm run test:stress).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    typecheck: {
      enabled: true,
      include: ['sdk/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
