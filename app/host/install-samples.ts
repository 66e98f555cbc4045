// The first run of `npm start` on a data folder installs the sample extensions, signed by the folder's own
// "Tether samples" key, so the app has something to show. A marker file remembers it was done: a sample the
// user uninstalls later stays uninstalled.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isTetherError } from '@tether/sdk';
import type { ExtensionHostManager } from '@tether/extension-host';
import { packSample } from './sample-package.js';
import { SAMPLES_PUBLISHER, samplesSigningKey } from './samples-signing-key.js';

/** The marker, in the data folder: written once the first run tried every sample. */
export const SAMPLES_MARKER_FILE = 'samples-installed.json';

/** What became of one sample. */
export interface SampleOutcome {
  /** Its folder's name (`01-greeter`). */
  readonly sample: string;
  /** Its extension id, once known. */
  readonly id?: string;
  /** Why it is not installed, when it is not. */
  readonly problem?: string;
}

export interface InstallSamplesOptions {
  readonly dataFolder: string;
  /** The repository's sample-extensions/ folder. */
  readonly samplesFolder: string;
  readonly say: (line: string) => void;
  /** Stops after the sample being installed (the marker is not written: the next start goes on). */
  readonly signal?: AbortSignal;
}

/**
 * On the first run on a data folder (no marker file), installs every sample extension through
 * `manager.install`, each as a signed package (sample-package.ts); a sample that fails is reported and the
 * others go on. Then writes the marker, listing what became of each. Returns the outcomes, or undefined
 * when the samples were installed on an earlier run.
 */
export async function installSamplesOnFirstRun(
  manager: ExtensionHostManager,
  options: InstallSamplesOptions,
): Promise<readonly SampleOutcome[] | undefined> {
  const marker = path.join(options.dataFolder, SAMPLES_MARKER_FILE);
  if (existsSync(marker)) return undefined;
  const { say } = options;
  const samples = await sampleFolders(options.samplesFolder);
  say(
    `first run on this data folder: installing the ${samples.length} sample extensions, signed by the "${SAMPLES_PUBLISHER}" key of this data folder…`,
  );
  const key = await samplesSigningKey(options.dataFolder);
  const work = await mkdtemp(path.join(tmpdir(), 'tether-samples-'));
  const outcomes: SampleOutcome[] = [];
  try {
    for (const sample of samples) {
      if (options.signal?.aborted === true) {
        say('stopped before every sample was installed; the next start installs the rest.');
        return outcomes;
      }
      const name = path.basename(sample);
      let id: string | undefined;
      try {
        const packaged = await packSample(sample, work, key);
        id = packaged.id;
        const result = await manager.install(packaged.archive);
        say(
          `  installed ${result.id} ${result.version} (signed by ${result.publisher ?? result.keyId ?? '?'})`,
        );
        outcomes.push({ sample: name, id });
      } catch (error) {
        if (isTetherError(error) && error.code === 'ALREADY_INSTALLED') {
          say(`  ${id ?? name} was installed already`);
          outcomes.push({ sample: name, ...(id === undefined ? {} : { id }) });
          continue;
        }
        const problem = error instanceof Error ? error.message : String(error);
        say(`  could not install the sample ${name}: ${problem}`);
        outcomes.push({ sample: name, ...(id === undefined ? {} : { id }), problem });
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const failed = outcomes.filter((outcome) => outcome.problem !== undefined).length;
  await writeFile(
    marker,
    `${JSON.stringify({ installedAt: new Date().toISOString(), samples: outcomes }, null, 2)}\n`,
  );
  if (failed > 0) {
    say(
      `${failed} sample${failed === 1 ? '' : 's'} not installed (why is above); delete ${marker} to try again on the next start.`,
    );
  }
  return outcomes;
}

/** The sample extension folders (those with a package.json), in name order. */
async function sampleFolders(samplesFolder: string): Promise<string[]> {
  const entries = await readdir(samplesFolder, { withFileTypes: true });
  return entries
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(samplesFolder, entry.name, 'package.json')),
    )
    .map((entry) => path.join(samplesFolder, entry.name))
    .sort();
}
