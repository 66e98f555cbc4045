import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

/** What the manager remembers across runs: the user's choices. */
export interface ManagerState {
  /** Extensions the user disabled (by id). Everything else is enabled. */
  readonly disabled: readonly string[];
  /** Host APIs the user granted, per extension id. */
  readonly grants: Readonly<Record<string, readonly string[]>>;
}

export const emptyManagerState: ManagerState = Object.freeze({ disabled: [], grants: {} });

const FORMAT_VERSION = 1;

/** Where a state file that could not be read was moved, and why. */
export interface SetAsideStateFile {
  readonly movedTo: string;
  readonly reason: string;
}

/**
 * The manager's state file in its data folder: read once at start, rewritten atomically (temp file, fsync,
 * rename) after each change, one write at a time in the order of the changes. A file that cannot be parsed
 * (half-written by an old version, edited by hand, damaged) never loses the extension list: it is moved
 * aside as `<name>.corrupt-<time>` (reported through `load`'s result) and the defaults are used.
 */
export class ManagerStateFile {
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.path = file;
  }

  /** Reads the state; a missing file is the defaults, an unreadable one is set aside. */
  async load(): Promise<{ state: ManagerState; setAside?: SetAsideStateFile }> {
    await this.#removeStaleTemps();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyManagerState };
      throw error;
    }
    const parsed = parseState(text);
    if (typeof parsed !== 'string') return { state: parsed };
    const movedTo = `${this.path}.corrupt-${Date.now()}`;
    await rename(this.path, movedTo);
    return { state: emptyManagerState, setAside: { movedTo, reason: parsed } };
  }

  /** Writes `state` after every earlier write has finished. Rejects if this write fails. */
  save(state: ManagerState): Promise<void> {
    const text = `${JSON.stringify({ version: FORMAT_VERSION, disabled: [...state.disabled].sort(), grants: state.grants }, null, 2)}\n`;
    const write = this.#writing.then(() => writeFileAtomic(this.path, text));
    this.#writing = write.catch(() => undefined);
    return write;
  }

  /** Resolves when every write asked for so far has finished (successfully or not). */
  flushed(): Promise<void> {
    return this.#writing;
  }

  /** Temp files left by a writer killed before its rename: never the state, always safe to delete. */
  async #removeStaleTemps(): Promise<void> {
    const dir = path.dirname(this.path);
    const prefix = `.${path.basename(this.path)}.`;
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
        .map((name) => rm(path.join(dir, name), { force: true })),
    );
  }
}

/** The state in `text`, or a string saying why it is not one. */
function parseState(text: string): ManagerState | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not a JSON object';
  const { version, disabled, grants } = json as Record<string, unknown>;
  if (version !== FORMAT_VERSION)
    return `format version ${JSON.stringify(version)}, expected ${FORMAT_VERSION}`;
  if (!isStringArray(disabled)) return '"disabled" is not a list of extension ids';
  if (typeof grants !== 'object' || grants === null || Array.isArray(grants))
    return '"grants" is not an object';
  const checked: Record<string, readonly string[]> = {};
  for (const [id, apis] of Object.entries(grants)) {
    if (!isStringArray(apis)) return `"grants" of ${JSON.stringify(id)} is not a list of host API names`;
    checked[id] = apis;
  }
  return { disabled, grants: checked };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
