#!/usr/bin/env node
// `npm create tether-extension <dir>` runs this. Plain Node, no dependencies: the command itself is the
// compiled src/main.ts (dist/main.js, built by `npm run build -w create-tether-extension` or on pack).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write(
    'create-tether-extension: dist/main.js is missing: run "npm run build -w create-tether-extension" in the repository.\n',
  );
  process.exit(1);
}
const { main } = await import(compiled.href);
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
