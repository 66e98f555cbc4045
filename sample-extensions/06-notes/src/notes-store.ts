// The plugin's storage: the notes in one JSON file, rewritten atomically (temp file + rename) after every
// change, one write at a time — so a process stopped for idleness, or killed, leaves the old file or the new.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import type { Note } from './contract.js';

/** The longest note kept, in characters: a note, not a document. */
export const MAX_NOTE_LENGTH = 2000;

/** The file as written: dates as ISO strings. */
interface NotesFile {
  readonly nextId: number;
  readonly notes: readonly { readonly id: number; readonly text: string; readonly created: string }[];
}

export class NotesStore {
  readonly #file: string;
  #notes: Note[];
  #nextId: number;
  /** Writes run one after another, each with the notes as they are when it starts. */
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, notes: Note[], nextId: number) {
    this.#file = file;
    this.#notes = notes;
    this.#nextId = nextId;
  }

  /** Opens `file` (creating its folder), or starts empty when it does not exist yet. */
  static async open(file: string): Promise<NotesStore> {
    await mkdir(path.dirname(file), { recursive: true });
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new NotesStore(file, [], 1);
      throw error;
    }
    const json = parseNotesFile(text);
    if (json === undefined) {
      throw new Error(`${file} is not a notes file; move it away or delete it to start with no notes.`);
    }
    const notes = json.notes.map((n) => ({ id: n.id, text: n.text, created: new Date(n.created) }));
    return new NotesStore(file, notes, json.nextId);
  }

  get count(): number {
    return this.#notes.length;
  }

  list(): Note[] {
    return [...this.#notes];
  }

  async add(text: unknown): Promise<Note> {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new TetherError(
        'INVALID_ARGUMENT',
        `A note needs some text, like notes.add("Buy milk"); got ${typeof text === 'string' ? 'only spaces' : typeof text}.`,
      );
    }
    if (text.length > MAX_NOTE_LENGTH) {
      throw new TetherError(
        'INVALID_ARGUMENT',
        `A note holds at most ${MAX_NOTE_LENGTH} characters; this one has ${text.length}. Split it into several notes.`,
      );
    }
    const note: Note = { id: this.#nextId++, text: text.trim(), created: new Date() };
    this.#notes.push(note);
    await this.#save();
    return note;
  }

  async remove(id: number): Promise<boolean> {
    const before = this.#notes.length;
    this.#notes = this.#notes.filter((note) => note.id !== id);
    if (this.#notes.length === before) return false;
    await this.#save();
    return true;
  }

  /** Removes every note; resolves with the ids removed. */
  async clear(): Promise<number[]> {
    const ids = this.#notes.map((note) => note.id);
    if (ids.length === 0) return ids;
    this.#notes = [];
    await this.#save();
    return ids;
  }

  /** Resolves once every change so far is on disk (the plugin awaits it before it stops). */
  flushed(): Promise<void> {
    return this.#writing;
  }

  #save(): Promise<void> {
    const next = this.#writing.then(() => this.#writeNow());
    this.#writing = next.catch(() => undefined);
    return next;
  }

  async #writeNow(): Promise<void> {
    const content: NotesFile = {
      nextId: this.#nextId,
      notes: this.#notes.map((n) => ({ id: n.id, text: n.text, created: n.created.toISOString() })),
    };
    const temp = `${this.#file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`, { flush: true });
      await rename(temp, this.#file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** The file's content when it has the expected shape, else undefined. */
function parseNotesFile(text: string): NotesFile | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { nextId, notes } = json as Record<string, unknown>;
  if (!Number.isSafeInteger(nextId) || !Array.isArray(notes)) return undefined;
  const valid = notes.every((note: unknown) => {
    const n = note as Record<string, unknown> | null;
    return (
      typeof n === 'object' &&
      n !== null &&
      Number.isSafeInteger(n['id']) &&
      typeof n['text'] === 'string' &&
      typeof n['created'] === 'string' &&
      !Number.isNaN(Date.parse(n['created']))
    );
  });
  return valid ? (json as NotesFile) : undefined;
}
