// The contract, declared once and imported by both the plugin and the app: the `notes` service with its change
// event, the ids of the commands the extension contributes, and how the app tells it where to keep its file.
import { defineService, type Event } from '@tether/sdk';

export interface Note {
  /** 1, 2, 3…: never reused, even after a note is removed. */
  readonly id: number;
  readonly text: string;
  /** When it was added; it crosses the connection as a `Date`. */
  readonly created: Date;
}

/** Fired after every change. */
export interface NotesChange {
  readonly kind: 'added' | 'removed' | 'cleared';
  /** The notes concerned: the one added or removed, or every one cleared. */
  readonly ids: readonly number[];
  /** How many notes there are now. */
  readonly count: number;
}

export interface Notes {
  /** Adds a note; rejects with `INVALID_ARGUMENT` when `text` is not a string with something in it. */
  add(text: string): Promise<Note>;
  /** Every note, oldest first. */
  list(): Promise<Note[]>;
  /** True when there was a note `id` (now removed). */
  remove(id: number): Promise<boolean>;
  readonly onDidChange: Event<NotesChange>;
}

export const notes = defineService<Notes>()('notes', {
  methods: { add: {}, list: {}, remove: {} },
  events: { onDidChange: true },
});

/**
 * The commands the plugin registers with `serve({ commands })`; the manifest lists the same ids, with titles,
 * in `contributes.commands` (the test checks they agree).
 */
export const notesCommandIds = ['notes.add', 'notes.list', 'notes.clear'] as const;

export type NotesCommandId = (typeof notesCommandIds)[number];

/** The environment variable holding the folder the plugin keeps its notes file in (the app sets it). */
export const NOTES_DIR_ENV = 'NOTES_DIR';

/** The name of the notes file in that folder. */
export const NOTES_FILE = 'notes.json';

/** The app's magic cookie: not a secret, just "an app that uses Tether started you". */
export const handshake = { cookieKey: 'TETHER_SAMPLES', cookieValue: 'hello-from-the-samples' };
