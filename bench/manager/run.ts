// The manager bench on its own:
//   node --conditions=tether-source --import tsx bench/manager/run.ts [--quick] [--runs N] [--out DIR]
// Prints the table and writes manager.{json,md} to bench/results/ (quick: bench/results/tmp/).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderManagerMarkdown, renderManagerTable, runManagerBench } from './manager-bench.js';

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

const result = await runManagerBench({ quick, runs, log: (line) => console.error(line) });
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'manager.json'), `${JSON.stringify(result, null, 2)}\n`);
await writeFile(join(outDir, 'manager.md'), renderManagerMarkdown(result));
console.log(renderManagerTable(result));
console.log(`\nWrote ${join(outDir, 'manager.json')} and manager.md (${result.elapsedS.toFixed(1)} s)`);
