// The plugin: the notes store served as the `notes` service (with its change event), and three commands for
// the app's command palette. It does not know when it is started or stopped: the app's manager decides.
import path from 'node:path';
import { Emitter, implement, log, serve, type CommandHandler } from '@tether/sdk';
import {
  NOTES_DIR_ENV,
  NOTES_FILE,
  handshake,
  notes,
  type Notes,
  type NotesChange,
  type NotesCommandId,
} from './contract.js';
import { NotesStore } from './notes-store.js';

const dir = process.env[NOTES_DIR_ENV];
if (dir === undefined || dir === '') {
  throw new Error(
    `${NOTES_DIR_ENV} is not set: the app passes the folder for the notes file (ExtensionHostManager's env option).`,
  );
}
const store = await NotesStore.open(path.join(dir, NOTES_FILE));
const changes = new Emitter<NotesChange>();
log.info('notes opened', { count: store.count });

const service: Notes = {
  async add(text) {
    const note = await store.add(text);
    changes.fire({ kind: 'added', ids: [note.id], count: store.count });
    return note;
  },
  list: () => Promise.resolve(store.list()),
  async remove(id) {
    const removed = await store.remove(id);
    if (removed) changes.fire({ kind: 'removed', ids: [id], count: store.count });
    return removed;
  },
  onDidChange: changes.event,
};

/** What a command palette runs: arguments come from people, so `notes.add` checks its text (the store does). */
const commands: Record<NotesCommandId, CommandHandler> = {
  'notes.add': (text: string) => service.add(text),
  'notes.list': () => service.list(),
  'notes.clear': async () => {
    const ids = await store.clear();
    if (ids.length > 0) changes.fire({ kind: 'cleared', ids, count: 0 });
    return ids.length;
  },
};

await serve({
  handshake,
  services: [implement(notes, service)],
  commands,
  // Stopped (idle, by the user, or the app quitting): the last change is on disk before the process exits.
  onStop: () => store.flushed(),
});
