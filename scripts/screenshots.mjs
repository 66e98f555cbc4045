#!/usr/bin/env node
// `npm run screenshots [-- <test files>]`: the browser journeys (all of test/browser, or the files given)
// with TETHER_SCREENSHOTS=1, so each writes its pictures into docs/screenshots/. A wrapper rather than an
// env prefix in package.json: it works on Windows too, and the files given replace the folder instead of
// being added to it (Vitest runs the union of its filters).
import { spawnSync } from 'node:child_process';
import { vitestBin } from './vitest-report.mjs';

const files = process.argv.slice(2);
const result = spawnSync(
  process.execPath,
  [vitestBin, 'run', ...(files.length > 0 ? files : ['test/browser'])],
  {
    stdio: 'inherit',
    env: { ...process.env, TETHER_SCREENSHOTS: '1' },
  },
);
process.exit(result.status ?? 1);
