// Whether Electron's binary is here, found as the `electron` package itself finds it (its index.js reads
// path.txt, written by its install script once the download succeeded, and points into dist/) — without
// `require('electron')`, which throws when the download never happened.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The path of Electron's executable, or undefined when the package or its binary is missing. */
export function electronBinary(resolveFrom: string = import.meta.url): string | undefined {
  let packageFolder: string;
  try {
    packageFolder = path.dirname(createRequire(resolveFrom).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageFolder, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = readFileSync(pathFile, 'utf8').trim();
  if (executable === '') return undefined;
  const binary = path.join(packageFolder, 'dist', executable);
  return existsSync(binary) ? binary : undefined;
}
