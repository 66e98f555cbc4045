import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { HeavyFirstSequencer } from './test/support/heavy-first-sequencer.js';

/** Every test file of the repository; the projects below split them by kind (STYLE.md 18). */
const everyTest = [
  'test/**/*.test.ts',
  'sdk/src/**/*.test.ts',
  'extension-host/src/**/*.test.ts',
  'sample-extensions/*/src/**/*.test.ts',
  'create-tether-extension/src/**/*.test.ts',
  'app/host/**/*.test.ts',
  'app/main/**/*.test.ts',
  'app/preload/**/*.test.ts',
  'app/renderer/src/**/*.test.ts',
  'bench/**/*.test.ts',
];
/** Real Chromium driving the real UI against a real host. */
const browserTests = ['test/browser/**/*.test.ts'];
/** Real subprocesses, by name; the benchmark's smoke test too. */
const processTests = ['**/*.process.test.ts', 'bench/**/*.test.ts'];

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
    // Generous: tests that start real plugin processes take ~1 s each on an idle machine and over 10 s on a
    // loaded one (npm run test:stress); a deadline in a test must not be what fails it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one — every file in a row.
    // Two there: the suite took 297 s instead of 427 s, all green (its tests await conditions and pass
    // under load: npm run test:stress). Three measured 377 s against 403 s once and 466 s in the next
    // fresh-clone run, on this noisy machine: not a clear gain over the configuration stress-tested.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The longest files first, so that no worker starts one when the others are nearly done.
    sequence: { sequencer: HeavyFirstSequencer },
    // One run, three kinds, each runnable alone: `vitest run --project unit|process|browser`.
    // (Some tests outside *.process.test.ts start processes too; the name is what sorts them.)
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: everyTest,
          exclude: [...configDefaults.exclude, ...browserTests, ...processTests],
          typecheck: {
            enabled: true,
            include: ['sdk/src/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: { name: 'process', include: processTests, exclude: [...configDefaults.exclude] },
      },
      {
        extends: true,
        test: { name: 'browser', include: browserTests, exclude: [...configDefaults.exclude] },
      },
    ],
  },
});
