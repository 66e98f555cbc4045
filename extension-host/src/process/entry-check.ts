import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TetherError } from '@tether/sdk';

/** What {@link checkEntry} needs to know about the launch. */
export interface EntryCheckOptions {
  /** The plugin's name, for messages. */
  readonly name: string;
  /** Directory a relative entry is resolved against (default: the host's working directory). */
  readonly cwd?: string | undefined;
  /** The entry is executed directly (executable runner), so it needs the execute permission. */
  readonly executable: boolean;
  /** Defaults to `process.platform` (Windows has no execute bit; it is not checked there). */
  readonly platform?: NodeJS.Platform | undefined;
}

/**
 * Checks that a plugin's entry is a file that can be started, and returns its absolute path.
 * Fails with `TetherError('ENTRY_NOT_FOUND')` when it is missing or not a regular file, and with
 * `TetherError('ENTRY_NOT_EXECUTABLE')` when it must be executed directly and lacks the execute permission.
 */
export async function checkEntry(entry: string, options: EntryCheckOptions): Promise<string> {
  const path = resolve(options.cwd ?? process.cwd(), entry);
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new TetherError(
      'ENTRY_NOT_FOUND',
      `Cannot start plugin "${options.name}": its entry ${path} does not exist or cannot be read (${code}). ` +
        "Check the `tether.entry` field of the extension's package.json, and that the extension was built.",
      { cause: error },
    );
  }
  if (!isFile) {
    throw new TetherError(
      'ENTRY_NOT_FOUND',
      `Cannot start plugin "${options.name}": its entry ${path} is not a file. ` +
        "Check the `tether.entry` field of the extension's package.json: it must name the file to run.",
    );
  }
  if (options.executable && (options.platform ?? process.platform) !== 'win32') {
    try {
      await access(path, constants.X_OK);
    } catch (error) {
      throw new TetherError(
        'ENTRY_NOT_EXECUTABLE',
        `Cannot start plugin "${options.name}": its entry ${path} is not executable. ` +
          `Make it executable (chmod +x "${path}"), or, for a script, start it with the node runner instead.`,
        { cause: error },
      );
    }
  }
  return path;
}
