// The host APIs the sample extensions ask for, served by the app: 03-bidirectional keeps its counts in the
// host (`counter.storage`), in `<dataFolder>/sample-data/counts.json`. Like every host API, an extension
// reaches it only once the user has granted it (Extensions view, or `manager.grant`).
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { implement, type ServiceBinding } from '@tether/sdk';
import { counterStorage } from '../../sample-extensions/03-bidirectional/src/contract.js';

/** The samples' host services over the files in `<dataFolder>/sample-data/` (sampleEnvironment creates it). */
export async function sampleHostServices(dataFolder: string): Promise<ServiceBinding[]> {
  const file = path.join(dataFolder, 'sample-data', 'counts.json');
  const counts = await loadCounts(file);
  let saving = Promise.resolve();
  return [
    implement(counterStorage, {
      load: (key) => counts.get(String(key)) ?? 0,
      save: (key, value) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) return;
        counts.set(String(key), value);
        const text = `${JSON.stringify(Object.fromEntries(counts), null, 2)}\n`;
        // Saves one after another, each whole (a new file renamed over the old one).
        saving = saving
          .then(async () => {
            await writeFile(`${file}.new`, text, { mode: 0o600 });
            await rename(`${file}.new`, file);
          })
          .catch(() => undefined);
      },
    }),
  ];
}

/** The saved counts; none when the file is missing or unreadable (the sample starts from zero). */
async function loadCounts(file: string): Promise<Map<string, number>> {
  const text = await readFile(file, 'utf8').catch(() => '{}');
  try {
    const saved = JSON.parse(text) as unknown;
    if (typeof saved !== 'object' || saved === null) return new Map();
    return new Map(
      Object.entries(saved).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    return new Map();
  }
}
