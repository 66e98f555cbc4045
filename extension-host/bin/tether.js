#!/usr/bin/env node
// The `tether` command. Runs the compiled CLI (../dist/cli/main.js) when the package is built; in a source
// checkout without a build, runs the TypeScript source through tsx (a root devDependency), resolving
// workspace packages to their sources (the "tether-source" export condition). Nothing else happens here:
// the CLI itself is src/cli/main.ts.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const source = new URL('../src/cli/main.ts', import.meta.url);

async function loadCli() {
  if (existsSync(compiled)) return import(compiled.href);
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write(
      'tether: the CLI is not built (no dist/cli/main.js) and tsx is not installed to run its source; ' +
        'run "npm run build" in the repository (or "npm install" to get tsx).\n',
    );
    process.exit(1);
  }
  // Resolve @tether/* workspace packages to their TypeScript sources, as the tests do.
  const addSourceCondition =
    'export async function resolve(specifier, context, next) {' +
    ' return next(specifier, { ...context, conditions: [...context.conditions, "tether-source"] }); }';
  register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  tsx.register();
  return import(source.href);
}

const cli = await loadCli();
process.exitCode = await cli.main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
