// The manager's state file: atomic rewrites that survive SIGKILL of the writer, damaged files set aside.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { ManagerStateFile } from './manager-state-file.js';

let dir: string;
let writer: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-state-'));
  writer = join(dir, 'state-writer.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./test-fixtures/state-writer.ts', import.meta.url))],
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['tether-source'],
    logLevel: 'error',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ManagerStateFile', () => {
  it('reads a missing file as the defaults and writes what it reads back', async () => {
    const file = new ManagerStateFile(join(dir, 'roundtrip.json'));
    expect((await file.load()).state).toEqual({ disabled: [], grants: {} });
    await file.save({ disabled: ['b', 'a'], grants: { a: ['storage'] } });
    expect((await file.load()).state).toEqual({ disabled: ['a', 'b'], grants: { a: ['storage'] } });
  });

  it('keeps the writes in order when several are asked for at once', async () => {
    const file = new ManagerStateFile(join(dir, 'ordered.json'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => file.save({ disabled: [`x${i}`], grants: {} })));
    expect((await file.load()).state.disabled).toEqual(['x19']);
  });

  it('sets a damaged file aside and says why', async () => {
    const path = join(dir, 'damaged.json');
    await writeFile(path, '{"version":1,"disab');
    const { state, setAside } = await new ManagerStateFile(path).load();
    expect(state).toEqual({ disabled: [], grants: {} });
    expect(setAside!.reason).toMatch(/not valid JSON/);
    expect(await readFile(setAside!.movedTo, 'utf8')).toBe('{"version":1,"disab');
  });

  it('survives SIGKILL of the writer in the middle of a write: always the old or the new state', async () => {
    const path = join(dir, 'killed.json');
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // Kill it at a different point each round: after 1 to 8 completed writes (the next one is under way).
      await waitFor(() => (output.match(/wrote/g)?.length ?? 0) >= round + 1, { what: `write ${round + 1}` });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const { state, setAside } = await new ManagerStateFile(path).load();
      expect(setAside).toBeUndefined();
      expect(state.disabled[0]).toMatch(/^ext-\d+$/);
      expect(Object.keys(state.grants)).toHaveLength(1000);
    }
    // A writer killed before its rename leaves a temp file; the next load removes it.
    const names = await readdir(dir);
    expect(names.filter((name) => name.startsWith('.killed.json.'))).toEqual([]);
  });
});
