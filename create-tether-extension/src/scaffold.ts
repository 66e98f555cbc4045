// Writes a new project into a folder: checks the name and the folder first, then writes every file.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALLOWED_EXISTING_ENTRIES } from './constants.js';
import { newHandshakeCookie, type HandshakeCookie } from './handshake-cookie.js';
import { packageNameProblem, suggestPackageName } from './package-name.js';
import { projectFiles } from './project-files.js';
import { ScaffoldError } from './scaffold-error.js';

export interface ScaffoldOptions {
  /** The folder to write the project into (made when missing; must be empty when present). */
  readonly directory: string;
  /** The npm package name; default: the folder's name. */
  readonly name?: string;
  /** The version of the Tether packages to depend on. */
  readonly tetherVersion: string;
  /** The magic cookie; default: a fresh random one. */
  readonly handshake?: HandshakeCookie;
  /** The template folder (tests). */
  readonly templateDir?: URL;
}

export interface ScaffoldResult {
  /** The project folder, absolute. */
  readonly directory: string;
  readonly name: string;
  /** The files written, relative to the folder, `/`-separated, in the order written. */
  readonly files: readonly string[];
}

/**
 * Writes a new extension project. Refuses (a {@link ScaffoldError}, before writing anything) a name that
 * is not a valid npm package name and a folder that is not empty; a file system error while writing is
 * thrown as it is.
 */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const directory = path.resolve(options.directory);
  const name = options.name ?? path.basename(directory);
  checkName(name, options.name === undefined);
  await checkTarget(directory);
  const files = await projectFiles({
    name,
    tetherVersion: options.tetherVersion,
    handshake: options.handshake ?? newHandshakeCookie(name),
    ...(options.templateDir === undefined ? {} : { templateDir: options.templateDir }),
  });
  await mkdir(directory, { recursive: true });
  for (const [file, text] of files) {
    const target = path.join(directory, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    // 'wx': never replace a file that appeared since the folder was checked.
    await writeFile(target, text, { flag: 'wx' });
  }
  return { directory, name, files: [...files.keys()] };
}

function checkName(name: string, fromFolder: boolean): void {
  const problem = packageNameProblem(name);
  if (problem === undefined) return;
  const suggestion = suggestPackageName(name);
  const source = fromFolder ? `The project is named after its folder, but "${name}"` : `The name "${name}"`;
  const fix =
    suggestion === undefined
      ? 'Choose a name with --name (lowercase letters, digits, "-", "." or "_"; "@scope/name" for a scope).'
      : `Choose a name with --name, for example --name ${suggestion}.`;
  throw new ScaffoldError('INVALID_NAME', `${source} is not a valid npm package name: it ${problem}. ${fix}`);
}

async function checkTarget(directory: string): Promise<void> {
  const found = await stat(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (found === undefined) return;
  if (!found.isDirectory()) {
    throw new ScaffoldError(
      'TARGET_NOT_A_FOLDER',
      `${directory} exists and is not a folder. Give the path of a new or empty folder.`,
    );
  }
  const entries = (await readdir(directory)).filter((entry) => !ALLOWED_EXISTING_ENTRIES.has(entry));
  if (entries.length > 0) {
    const shown =
      entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} in all)` : '');
    throw new ScaffoldError(
      'TARGET_NOT_EMPTY',
      `${directory} is not empty (it holds ${shown}); nothing was written. Give the path of a new or empty folder.`,
    );
  }
}
