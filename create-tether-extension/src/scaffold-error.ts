// The one error type of the scaffolder: what went wrong, a code a caller can branch on, and what to do next.

/**
 * Why a project was not written. Each is a refusal of what was asked (exit status 2), never a half-written
 * project: nothing is written before every check has passed.
 * - `USAGE`: the command line is wrong (no folder, an unknown option, two folders).
 * - `INVALID_NAME`: the project's name (the folder's, or `--name`) is not a valid npm package name.
 * - `TARGET_NOT_EMPTY`: the folder exists and holds files.
 * - `TARGET_NOT_A_FOLDER`: something that is not a folder is in the way.
 */
export type ScaffoldErrorCode = 'USAGE' | 'INVALID_NAME' | 'TARGET_NOT_EMPTY' | 'TARGET_NOT_A_FOLDER';

export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';

  constructor(
    readonly code: ScaffoldErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
