// One sample extension made into a package a data folder outside the repository can run: its TypeScript
// entry bundled with esbuild into one ESM file (the sdk included: no `@tether/sdk` to resolve at run time),
// a package.json whose `tether.entry` names that file, packed as `tether pack` does and signed as
// `tether sign` does.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { packExtension, signPackage } from '@tether/extension-host';
import type { SamplesSigningKey } from './samples-signing-key.js';

/** The bundled entry's name in the package. */
const BUNDLED_ENTRY = 'plugin.js';

export interface SamplePackage {
  /** The extension's id (its package name). */
  readonly id: string;
  readonly version: string;
  /** The signed `.tgz` (its `.sig` beside it). */
  readonly archive: string;
}

interface SamplePackageJson {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: string;
  readonly tether: { readonly entry: string } & Record<string, unknown>;
}

/**
 * Bundles, stages, packs and signs the sample in `sampleFolder`; everything is written under `workFolder`
 * (`<workFolder>/<sample folder name>/` staged, `<workFolder>/packages/` the archives).
 */
export async function packSample(
  sampleFolder: string,
  workFolder: string,
  key: SamplesSigningKey,
): Promise<SamplePackage> {
  const manifest = JSON.parse(
    await readFile(path.join(sampleFolder, 'package.json'), 'utf8'),
  ) as SamplePackageJson;
  const stage = path.join(workFolder, path.basename(sampleFolder));
  await mkdir(stage, { recursive: true });
  await build({
    entryPoints: [path.join(sampleFolder, manifest.tether.entry)],
    outfile: path.join(stage, BUNDLED_ENTRY),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The workspace packages' TypeScript sources (their exports maps' `tether-source`).
    conditions: ['tether-source'],
    logLevel: 'error',
  });
  const staged = {
    name: manifest.name,
    version: manifest.version,
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    ...(manifest.license === undefined ? {} : { license: manifest.license }),
    type: 'module',
    tether: { ...manifest.tether, entry: BUNDLED_ENTRY },
  };
  await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  await copyFile(path.join(sampleFolder, 'README.md'), path.join(stage, 'README.md')).catch(() => undefined);
  const packed = await packExtension({ dir: stage, outDir: path.join(workFolder, 'packages') });
  await signPackage({
    archive: packed.file,
    privateKeyPem: key.privateKeyPem,
    keySource: key.privateKeyFile,
  });
  return { id: manifest.name, version: manifest.version, archive: packed.file };
}
