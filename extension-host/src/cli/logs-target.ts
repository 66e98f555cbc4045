// Which extension `tether logs <extension | extension-dir>` means, and, when it has no logs, the names that
// do have some: the closest as "did you mean", else a few of them.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { closestMatch } from '../manifest/did-you-mean.js';
import { logFileName } from '../logging/format-log-line.js';

/** How many names with logs a "no logs" message lists when none is close to what was asked. */
const LISTED_NAMES_MAX = 8;

/**
 * The extension name `argument` stands for: when it is a folder, the `name` in its package.json (the folder
 * of an extension: `tether logs ./my-extension`); else the argument itself.
 * @throws TetherError INVALID_ARGUMENT for a folder with no package.json naming a package.
 */
export async function extensionNameOf(argument: string): Promise<string> {
  const isFolder = await stat(argument).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isFolder) return argument;
  const manifestFile = path.join(path.resolve(argument), 'package.json');
  const name = await readFile(manifestFile, 'utf8').then(
    (text) => (JSON.parse(text) as { name?: unknown }).name,
    () => undefined,
  );
  if (typeof name !== 'string' || name === '') {
    throw new TetherError(
      'INVALID_ARGUMENT',
      `${path.resolve(argument)} is a folder, but not an extension's: it has no package.json with a "name". Pass the folder of an extension, or its name (as in its package.json).`,
    );
  }
  return name;
}

/**
 * The extension names that have a log file in `dir` (`_acme_kv.log` → `@acme/kv`: a name whose log file is
 * that file), sorted; none when the folder cannot be read.
 */
export async function extensionsWithLogs(dir: string): Promise<string[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const names = new Set<string>();
  for (const file of files) {
    if (!file.endsWith('.log')) continue;
    const current = file.endsWith('.old.log') ? `${file.slice(0, -'.old.log'.length)}.log` : file;
    names.add(nameOfLogFile(current));
  }
  return [...names].sort();
}

/**
 * The sentence to add to "no logs for <name>": `Did you mean "x"?` for a close name that has logs, else the
 * names that have some (a few); empty when no extension has logs there.
 */
export function suggestLogNames(asked: string, names: readonly string[]): string {
  const close = closestMatch(asked, names);
  if (close !== undefined) return `Did you mean ${JSON.stringify(close)}?`;
  if (names.length === 0) return '';
  const listed = names.slice(0, LISTED_NAMES_MAX).map((name) => JSON.stringify(name));
  const more = names.length > LISTED_NAMES_MAX ? ` and ${names.length - LISTED_NAMES_MAX} more` : '';
  return `There are logs for ${listed.join(', ')}${more}.`;
}

/** An extension name whose log file is `file`: a scoped name when the file is named like one. */
function nameOfLogFile(file: string): string {
  const stem = file.slice(0, -'.log'.length);
  const scoped = /^_([A-Za-z0-9.-][A-Za-z0-9._-]*?)_(.+)$/.exec(stem);
  const name = scoped === null ? stem : `@${scoped[1]!}/${scoped[2]!}`;
  return logFileName(name) === file ? name : stem;
}
