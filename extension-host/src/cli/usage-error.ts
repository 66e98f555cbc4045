/**
 * The command line itself is wrong (unknown command or flag, missing argument). `main` prints it with a
 * hint to `--help` and exits with status 2, unlike failures of a well-formed command (status 1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose help to point at (`tether run --help`), if any. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
