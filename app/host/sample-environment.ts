// What the sample extensions need from the app that runs them: 02-kv and 06-notes keep their data in files
// whose place the host gives them in an environment variable (the manager's `env` option).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { KV_FILE_ENV } from '../../sample-extensions/02-kv/src/contract.js';
import { NOTES_DIR_ENV } from '../../sample-extensions/06-notes/src/contract.js';

/** The samples' variables, their files in `<dataFolder>/sample-data/` (created, mode 0700). */
export async function sampleEnvironment(dataFolder: string): Promise<Record<string, string>> {
  const folder = path.join(dataFolder, 'sample-data');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return { [KV_FILE_ENV]: path.join(folder, 'kv.json'), [NOTES_DIR_ENV]: folder };
}
