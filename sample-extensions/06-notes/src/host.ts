// An app's main process in miniature: an ExtensionHostManager over a folder holding the notes extension. The
// first command starts it, its idle timeout stops it, the next call starts it again; every state change shows.
//   npm start -w @tether-samples/notes [-- <extension folder or folder of extensions>]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readManifest, type ExtensionHostManager, type ExtensionState } from '@tether/extension-host';
import { notes, type Note, type NotesChange } from './contract.js';
import { NOTES_ID, createNotesManager, extensionDir } from './launch.js';

const folder = path.resolve(process.argv[2] ?? extensionDir);
// The app's data (manager state, logs, the notes) in a temp folder: the sample writes nothing in your home.
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tether-notes-'));
const manager = await createNotesManager({ dataDir, extensionFolders: [folder] }).catch(
  async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  },
);
manager.onDidChangeState(({ id, from, to, snapshot }) => {
  if (id === NOTES_ID) console.log(`  [${from} → ${to}]${to === 'running' ? ` pid ${snapshot.pid}` : ''}`);
});

try {
  const extension = manager.get(NOTES_ID); // EXTENSION_NOT_FOUND, listing what is there, when it is not
  // The idle timeout is not in the snapshot; the manifest has it (and the manager applies it).
  const { idleTimeoutMs } = await readManifest(extension.folder);
  if (idleTimeoutMs === undefined)
    throw new Error(`${extension.folder}: the manifest sets no idleTimeoutSeconds.`);
  const idleSeconds = idleTimeoutMs / 1000;
  console.log(
    `${extension.displayName} ${extension.version} is ${extension.state}: activation ${extension.activation}, stopped after ${idleSeconds} s unused`,
  );
  console.error(`(data in ${dataDir}, removed at the end)`);
  console.log('Commands it contributes:');
  for (const command of manager.commands()) {
    const args = command.arguments === undefined ? '' : `  ${command.arguments}`;
    console.log(`  ${command.id.padEnd(12)} ${command.title}${args}`);
  }

  // Commands, as a command palette runs them: the first one starts the extension.
  await run('notes.add', 'Buy milk');
  await run('notes.add', 'Call Ada');
  await run('notes.add', '   ');
  await run('notes.list');

  // The service, typed: a call and an event. A live subscription counts as a use (no idle stop meanwhile).
  const service = manager.service(NOTES_ID, notes);
  let seen!: (change: NotesChange) => void;
  const change = new Promise<NotesChange>((resolve) => (seen = resolve));
  const subscription = service.onDidChange(seen);
  console.log(`notes.remove(1) → ${await service.remove(1)}`);
  const { kind, ids, count } = await change;
  console.log(`  onDidChange: ${kind} #${ids.join(', #')}, ${count} left`);
  subscription.dispose();

  console.log(`Nothing uses it now; after ${idleSeconds} s the manager stops it:`);
  const idle = await nextState(manager, 'stopped', 'failed');
  if (idle !== 'stopped')
    throw new Error(`The extension ${idle}: ${manager.get(NOTES_ID).lastError?.message}`);

  console.log('notes.list() starts it again; the notes were in its file:');
  for (const note of await service.list()) console.log(`  ${formatNote(note)}`);
  await run('notes.clear');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await manager.dispose(); // stops the extension if it runs
  await rm(dataDir, { recursive: true, force: true });
}

/** Runs a command through the manager and prints its result, or its error with the code it kept. */
async function run(command: string, ...args: string[]): Promise<void> {
  console.log(`> ${[command, ...args.map((arg) => JSON.stringify(arg))].join(' ')}`);
  try {
    const result = await manager.executeCommand(command, ...args);
    if (Array.isArray(result)) for (const note of result as Note[]) console.log(`  ${formatNote(note)}`);
    else if (typeof result === 'number') console.log(`  removed ${result}`);
    else console.log(`  added ${formatNote(result as Note)}`);
  } catch (error) {
    console.log(`  ${(error as { code?: string }).code ?? 'ERROR'}: ${(error as Error).message}`);
  }
}

/** `#2 Call Ada (14:02:07)`: `created` arrived as a Date, shown in local time. */
function formatNote({ id, text, created }: Note): string {
  const time = [created.getHours(), created.getMinutes(), created.getSeconds()];
  return `#${id} ${text} (${time.map((n) => String(n).padStart(2, '0')).join(':')})`;
}

/** The next state of the extension among `states`. */
function nextState(m: ExtensionHostManager, ...states: ExtensionState[]): Promise<ExtensionState> {
  return new Promise((resolve) => {
    const subscription = m.onDidChangeState(({ id, to }) => {
      if (id !== NOTES_ID || !states.includes(to)) return;
      subscription.dispose();
      resolve(to);
    });
  });
}
