import { CallFailedError } from './call-failed-error.js';
import { withDataFolderManager } from './data-folder-manager.js';
import { EXIT_OK } from './exit-code.js';
import type { Output } from './run-command.js';

export interface UninstallCommandInput {
  readonly extension: string;
  readonly purge: boolean;
  readonly dataFolder?: string;
}

/**
 * `tether uninstall <id> [--purge]`: the running `tether host` of the data folder (or, with none, a manager
 * in this process) stops the extension and removes every version of it; its log files stay unless
 * `--purge`. A refusal (EXTENSION_NOT_FOUND, INVALID_ARGUMENT for a development folder) is printed as
 * `tether: <Name> [<CODE>]: <message>`.
 */
export async function uninstallCommand(
  input: UninstallCommandInput,
  io: { readonly stdout: Output; readonly stderr: Output },
): Promise<number> {
  const { extension, purge } = input;
  try {
    await withDataFolderManager(input.dataFolder, async ({ api, where, dataFolder }) => {
      if (where === 'local') {
        io.stderr.write(
          `tether: no tether host is running for data folder ${dataFolder}; uninstalling from it here.\n`,
        );
      }
      await api.uninstall(extension, purge ? { purge: true } : {});
    });
  } catch (error) {
    throw new CallFailedError(undefined, error);
  }
  io.stdout.write(
    purge
      ? `uninstalled ${extension}, and deleted its log files\n`
      : `uninstalled ${extension}; its log files stay ("tether logs ${extension}"; --purge deletes them)\n`,
  );
  return EXIT_OK;
}
