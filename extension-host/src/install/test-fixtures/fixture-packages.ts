// Real packages of the manager's fixture extension for the install process tests: the fixture bundled once
// (esbuild), packed with `npm pack` (packExtension) and, when keys are given, signed with signPackage — what
// a publisher ships. npm pack takes about a second: make the packages once per file and reuse them.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { managerHandshake, type FixtureMode } from '../../manager/test-fixtures/manager-contract.js';
import type { SigningKeys } from '../generate-signing-keys.js';
import { packExtension } from '../pack-extension.js';
import { signPackage } from '../sign-package.js';

export interface FixturePackageOptions {
  /** Sign it with these keys (its `.sig` beside it); unsigned when absent. */
  readonly keys?: SigningKeys;
  readonly fixture?: FixtureMode;
}

/**
 * Packs a self-contained extension `name@version` (the bundled fixture `bundle` as its entry, serving
 * `probe`) into `<work>/packages/<name>-<version>.tgz`, signed with `options.keys` if given.
 */
export async function makeFixturePackage(
  work: string,
  bundle: string,
  name: string,
  version: string,
  options: FixturePackageOptions = {},
): Promise<string> {
  const dir = join(work, 'src', `${name}-${version}`);
  await mkdir(dir, { recursive: true });
  await copyFile(bundle, join(dir, 'plugin.mjs'));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      version,
      type: 'module',
      fixture: options.fixture ?? 'ok',
      tether: { entry: 'plugin.mjs', services: { probe: [1] }, host: '>=0.1.0', handshake: managerHandshake },
    }),
  );
  const packed = await packExtension({ dir, outDir: join(work, 'packages') });
  if (options.keys !== undefined) {
    await signPackage({
      archive: packed.file,
      privateKeyPem: await readFile(options.keys.privateKeyFile, 'utf8'),
    });
  }
  return packed.file;
}
