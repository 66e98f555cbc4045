#!/usr/bin/env node
// The `tether` command. In a source checkout (tsconfig.build.json is present: the published package ships
// src/ for its source maps, but not that) it runs the TypeScript source through tsx (a root
// devDependency), resolving workspace packages to their sources (the "tether-source" export condition), so a
// leftover build can never run stale code; TETHER_CLI_DIST=1 runs the build instead. An installed package
// runs the compiled CLI (../dist/cli/main.js). Nothing else happens here: the CLI itself is src/cli/main.ts.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const source = new URL('../src/cli/main.ts', import.meta.url);
const checkout = new URL('../tsconfig.build.json', import.meta.url);

async function loadCli() {
  const useSource = existsSync(checkout) && existsSync(source) && process.env.TETHER_CLI_DIST !== '1';
  if (!useSource && existsSync(compiled)) return import(compiled.href);
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write(
      'tether: cannot run the CLI from source: tsx is not installed; run "npm install" in the repository ' +
        '(or "npm run build" and set TETHER_CLI_DIST=1 to run the build).\n',
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
