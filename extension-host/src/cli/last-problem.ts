import type { ExtensionSnapshot } from '../manager/extension-state.js';

/**
 * What went wrong last with `extension`, on one line: its last error (`CODE: first line`), or for an invalid
 * one its first manifest problem (and how many more there are).
 */
export function lastProblem(extension: ExtensionSnapshot): string | undefined {
  const { lastError, problems } = extension;
  if (lastError !== undefined) return `${lastError.code}: ${firstLine(lastError.message)}`;
  if (problems === undefined || problems.length === 0) return undefined;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${firstLine(problems[0]!)}${more}`;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : `${text.slice(0, newline)} …`;
}
