// The scaffolder's own version: the Tether packages it writes dependencies on are released with it.
import { readFile } from 'node:fs/promises';

/** This package's package.json (one level above src/ and dist/ alike). */
const packageJsonUrl = new URL('../package.json', import.meta.url);

export async function ownVersion(): Promise<string> {
  const { version } = JSON.parse(await readFile(packageJsonUrl, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${packageJsonUrl.pathname} has no "version".`);
  return version;
}
