// The Vitest run that `npm test` (scripts/test.mjs) and `npm run test:stress` (scripts/test-stress.mjs) both
// make, and how its counts are read: the default reporter for people, a JSON report for the counts.
import { readFileSync } from 'node:fs';

export const vitestBin = 'node_modules/.bin/vitest';

/** The arguments of `vitest`: one run, both reporters, the JSON one to `resultsFile`, then `extra`. */
export function vitestArgs(resultsFile, extra) {
  return ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra];
}

/**
 * The passed and failed tests of the run from its JSON report (a failed file counts as a failure, and so does
 * a run that failed without a failed test); a missing report is one failure, said on stdout.
 */
export function vitestCounts(resultsFile, exitedOk) {
  try {
    const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
    // A file that failed without a failed test (it did not load, or failed in a hook) counts once; a failed
    // test counts once, not again for its describe blocks and file (numFailedTestSuites counts those).
    const brokenFiles = (report.testResults ?? []).filter(
      (file) =>
        file.status === 'failed' &&
        !(file.assertionResults ?? []).some((assertion) => assertion.status === 'failed'),
    ).length;
    const failed = (report.numFailedTests ?? 0) + brokenFiles;
    return { passed: report.numPassedTests ?? 0, failed: failed + (!exitedOk && failed === 0 ? 1 : 0) };
  } catch {
    process.stdout.write('── tests: no Vitest report was written (the run crashed before reporting)\n');
    return { passed: 0, failed: 1 };
  }
}
