#!/usr/bin/env node
// The one test command (`npm test`): format check, lint, typecheck (Node code, then the UI bundle), then every
// Vitest test.
// Ends with a plain `N passed, N failed` line that CI reads. Each static check counts as one test.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { vitestArgs, vitestBin, vitestCounts } from './vitest-report.mjs';

const resultsFile = '.vitest-results.json';
let passed = 0;
let failed = 0;

/** Runs one stage, inheriting stdio; returns true when it exited 0. */
function stage(name, command, args) {
  process.stdout.write(`\n── ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  const ok = result.status === 0;
  process.stdout.write(`── ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`}\n`);
  return ok;
}

const bin = (name) => `node_modules/.bin/${name}`;
for (const [name, command, args] of [
  ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['lint', bin('eslint'), ['--max-warnings', '0', '.']],
  ['typecheck', bin('tsc'), ['-p', 'tsconfig.json']],
  // The UI bundle has its own settings (JSX, DOM, bundler resolution): app/renderer/tsconfig.json.
  ['typecheck renderer', bin('tsc'), ['-p', 'app/renderer/tsconfig.json']],
]) {
  if (stage(name, command, args)) passed += 1;
  else failed += 1;
}

rmSync(resultsFile, { force: true });
const vitestOk = stage('tests', vitestBin, vitestArgs(resultsFile, process.argv.slice(2)));
const counts = vitestCounts(resultsFile, vitestOk);
passed += counts.passed;
failed += counts.failed;

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
