import { TetherError, type TetherErrorOptions } from '@tether/sdk';

/**
 * An extension's package.json is not a valid Tether manifest. `problems` lists every problem found (each
 * names the field, what is wrong and how to fix it); `message` contains them all.
 */
export class InvalidManifestError extends TetherError {
  override name = 'InvalidManifestError';
  readonly problems: readonly string[];
  readonly source: string;

  constructor(source: string, problems: readonly string[], options?: TetherErrorOptions) {
    super('INVALID_MANIFEST', formatMessage(source, problems), options);
    this.problems = problems;
    this.source = source;
  }
}

function formatMessage(source: string, problems: readonly string[]): string {
  if (problems.length === 1) return `Invalid extension manifest in ${source}: ${problems[0]}`;
  const list = problems.map((problem) => `\n  - ${problem}`).join('');
  return `Invalid extension manifest in ${source} (${problems.length} problems):${list}`;
}
