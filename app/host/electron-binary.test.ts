// Electron's binary found as its own package finds it, without require('electron').
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinary } from './electron-binary.js';

let root: string;
let from: string;
let electron: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tether-electron-'));
  from = pathToFileURL(join(root, 'host.js')).href;
  electron = join(root, 'node_modules', 'electron');
  await mkdir(join(electron, 'dist'), { recursive: true });
  await writeFile(join(electron, 'package.json'), '{"name":"electron","main":"index.js"}');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('electronBinary', () => {
  it('is the executable path.txt names in dist/', async () => {
    await writeFile(join(electron, 'path.txt'), 'electron');
    await writeFile(join(electron, 'dist', 'electron'), '');
    expect(electronBinary(from)).toBe(join(electron, 'dist', 'electron'));
  });

  it('is undefined when the download never happened (no path.txt), or dist/ lacks it', async () => {
    expect(electronBinary(from)).toBeUndefined();
    await writeFile(join(electron, 'path.txt'), 'electron');
    expect(electronBinary(from)).toBeUndefined();
  });

  it('is undefined without the electron package', async () => {
    await rm(electron, { recursive: true });
    expect(electronBinary(from)).toBeUndefined();
  });
});
