// Vitest's order, with the longest test files first. Two workers share the files; a long file that starts
// last keeps one worker busy after the other is done. Vitest orders by the durations of the previous run,
// which a fresh clone (CI) does not have: there it ran the 60 s scaffold test near the end. The list is of
// the longest files of a CI run (durations in seconds, 2 cores); a file not listed keeps Vitest's order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST_FIRST = [
  'create-tether-extension/src/scaffold.process.test.ts', // 61
  'extension-host/src/cli/run-tty.test.ts', // 61
  'extension-host/src/cli/issue-10-tether-run.process.test.ts', // 39
  'extension-host/src/runner/pty-runner.test.ts', // 35
  'bench/bench.test.ts', // 29
  'extension-host/src/cli/issue-15-tether-call.process.test.ts', // 28
  'test/publish.process.test.ts', // 28 (after the scaffold test's pack)
  'extension-host/src/client/plugin-client.test.ts', // 22
  'extension-host/src/install/install-crash-safety.process.test.ts', // 21
  'app/host/start.process.test.ts', // 20
];

export class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = LONGEST_FIRST.findIndex((listed) => file.moduleId.endsWith(listed));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Stable: files not listed keep Vitest's order among themselves.
    return sorted
      .map((file, position) => ({ file, position, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.position - b.position)
      .map(({ file }) => file);
  }
}
