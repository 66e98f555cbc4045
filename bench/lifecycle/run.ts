// The lifecycle bench on its own:
//   node --conditions=tether-source --import tsx bench/lifecycle/run.ts [--quick] [--runs N] [--out DIR]
//        [--profile DIR]   (--cpu-prof of every Tether plugin child into DIR, for finding what start costs)
// Prints the table and writes lifecycle.{json,md} to bench/results/ (quick: bench/results/tmp/).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTetherPluginNodeArgs } from './approaches/index.js';
import { renderLifecycleMarkdown, renderLifecycleTable, runLifecycle } from './lifecycle.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const quick = argv.includes('--quick');
const runs = Number(option('--runs') ?? (quick ? 1 : 3));
if (!Number.isSafeInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${option('--runs')}`);
const outDir =
  option('--out') ?? fileURLToPath(new URL(quick ? '../results/tmp/' : '../results/', import.meta.url));
const profileDir = option('--profile');
if (profileDir !== undefined) {
  await mkdir(profileDir, { recursive: true });
  setTetherPluginNodeArgs(['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${resolve(profileDir)}`]);
}

const result = await runLifecycle({ quick, runs, log: (line) => console.error(line) });
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'lifecycle.json'), `${JSON.stringify(result, null, 2)}\n`);
await writeFile(join(outDir, 'lifecycle.md'), renderLifecycleMarkdown(result));
console.log(renderLifecycleTable(result));
console.log(`\nWrote ${join(outDir, 'lifecycle.json')} and lifecycle.md (${result.elapsedS.toFixed(1)} s)`);
