import path from 'node:path';
import { TetherError } from '@tether/sdk';
import type { InstallProgress } from '../install/extension-installer.js';
import { CallFailedError } from './call-failed-error.js';
import { withDataFolderManager } from './data-folder-manager.js';
import { EXIT_OK } from './exit-code.js';
import { InstallProgressPrinter } from './install-progress-printer.js';
import type { Output } from './run-command.js';

export interface InstallCommandInput {
  /** A .tgz file (its .sig beside it), an extension folder or an https:// URL. */
  readonly source: string;
  readonly allowUnsigned: boolean;
  readonly force: boolean;
  readonly dataFolder?: string;
}

export interface InstallIo {
  readonly stdout: Output;
  readonly stderr: Output;
}

type Done = Extract<InstallProgress, { phase: 'done' }>;

/** Printed before an install with --allow-unsigned, whatever the package turns out to be. */
export const ALLOW_UNSIGNED_WARNING =
  'tether: WARNING: --allow-unsigned: a package without a signature will be installed as it is, though nobody vouches for it. Use it only for your own extensions in development; the host warns at every start of such an extension.\n';

/**
 * `tether install <file.tgz | folder | https-URL> [--allow-unsigned] [--force]`: the running `tether host`
 * of the data folder installs it (it runs the new version at once), or, with no host running, a manager in
 * this process does. Each step is printed on stderr as it comes, then `installed <id>@<version> (…)` on
 * stdout. A refusal is thrown as a CallFailedError, so `main` prints `tether: <Name> [<CODE>]: <message>` (exit 1).
 */
export async function installCommand(input: InstallCommandInput, io: InstallIo): Promise<number> {
  // A path means a file here; the host may run in another folder, so it gets the absolute path.
  const source = /^[a-z][a-z0-9+.-]*:\/\//i.test(input.source) ? input.source : path.resolve(input.source);
  if (input.allowUnsigned) io.stderr.write(ALLOW_UNSIGNED_WARNING);
  const printer = new InstallProgressPrinter(io.stderr);
  let done: Done | undefined;
  try {
    done = await withDataFolderManager(input.dataFolder, async ({ api, where, dataFolder }) => {
      if (where === 'local') {
        io.stderr.write(
          `tether: no tether host is running for data folder ${dataFolder}; installing into it from here.\n`,
        );
      }
      const options = {
        ...(input.allowUnsigned ? { allowUnsigned: true } : {}),
        ...(input.force ? { force: true } : {}),
      };
      let last: Done | undefined;
      for await (const progress of await api.install(source, options)) {
        if (progress.phase === 'done') last = progress;
        else printer.print(progress);
      }
      return last;
    });
  } catch (error) {
    printer.end();
    throw new CallFailedError(undefined, error);
  }
  printer.end();
  if (done === undefined) {
    throw new TetherError(
      'INTERNAL',
      'The install ended without saying what it installed; run "tether list" to see what is installed.',
    );
  }
  io.stdout.write(`${installedLine(done)}\n`);
  return EXIT_OK;
}

/** `installed @acme/kv@1.2.0 (signed by Acme 1f2e…)`, `… (UNSIGNED — development only)`, `…, replacing 1.1.0`. */
export function installedLine(done: Done): string {
  const signature = done.signed
    ? `signed by ${done.publisher === undefined ? 'key' : done.publisher} ${done.keyId ?? '(unknown key)'}`
    : 'UNSIGNED — development only';
  const replaced = done.previousVersion === undefined ? '' : `, replacing ${done.previousVersion}`;
  return `installed ${done.id}@${done.version} (${signature})${replaced}`;
}
