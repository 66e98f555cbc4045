// The plugin's storage: a string map kept in one JSON file, rewritten atomically (temp file + rename)
// after every change, so a crash mid-write leaves either the old file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

export class JsonFileStore {
  readonly #file: string;
  readonly #data: Map<string, string>;
  /** Writes run one after another, each with the data as it is when it starts. */
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, data: Map<string, string>) {
    this.#file = file;
    this.#data = data;
  }

  /** Opens `file`, or starts empty when it does not exist yet. */
  static async open(file: string): Promise<JsonFileStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new JsonFileStore(file, new Map());
      throw error;
    }
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Error(`${file} is not a key-value JSON object; move it away or delete it to start empty.`);
    }
    const entries = Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string');
    return new JsonFileStore(file, new Map(entries));
  }

  get(key: string): string | undefined {
    return this.#data.get(key);
  }

  list(prefix: string): string[] {
    return [...this.#data.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async put(key: string, value: string): Promise<void> {
    this.#data.set(key, value);
    await this.#save();
  }

  async delete(key: string): Promise<boolean> {
    const had = this.#data.delete(key);
    if (had) await this.#save();
    return had;
  }

  #save(): Promise<void> {
    const next = this.#writing.then(() => this.#writeNow());
    this.#writing = next.catch(() => undefined);
    return next;
  }

  async #writeNow(): Promise<void> {
    const temp = `${this.#file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const json = `${JSON.stringify(Object.fromEntries(this.#data), null, 2)}\n`;
    try {
      await writeFile(temp, json, { flush: true });
      await rename(temp, this.#file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
