// The notes extension under a real ExtensionHostManager: its manifest, commands that start it on demand, its
// service and event, the idle stop and what it leaves on disk, and the host run exactly as `npm start` runs it
// — both over a built copy of the extension whose manifest asks for a short idle timeout.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeRunner, readManifest } from '@tether/extension-host';
import { waitFor } from '../../../sdk/src/test-support/wait-for.js';
import { NOTES_FILE, handshake, notes, notesCommandIds, type Note, type NotesChange } from './contract.js';
import { NOTES_ID, TYPESCRIPT_NODE_ARGS, createNotesManager, extensionDir } from './launch.js';

/** The idle timeout of the test's copy of the extension: the manifest's 5 s would make the tests slow. */
const TEST_IDLE_SECONDS = 0.5;

let root: string;
/** A folder of extensions holding a built copy of this one, as an app's extensions folder does. */
let extensionsDir: string;

beforeAll(async () => {
  // The copy is bundled as a package would ship it (JavaScript: no tsx, so each start takes a fraction of a
  // second), and its manifest asks for a short idle timeout; the rest is this extension's manifest.
  root = await mkdtemp(path.join(os.tmpdir(), 'tether-notes-test-'));
  extensionsDir = path.join(root, 'extensions');
  const copy = path.join(extensionsDir, 'notes');
  await build({
    entryPoints: [path.join(extensionDir, 'src', 'plugin.ts')],
    outfile: path.join(copy, 'dist', 'plugin.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['tether-source'],
    logLevel: 'error',
  });
  const pkg = JSON.parse(await readFile(path.join(extensionDir, 'package.json'), 'utf8')) as {
    tether: Record<string, unknown>;
  };
  pkg.tether['entry'] = 'dist/plugin.mjs';
  pkg.tether['idleTimeoutSeconds'] = TEST_IDLE_SECONDS;
  await writeFile(path.join(copy, 'package.json'), JSON.stringify(pkg, null, 2));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('06-notes', () => {
  it('has a manifest for on-demand activation with an idle timeout, listing the commands it registers', async () => {
    const manifest = await readManifest(extensionDir);
    expect(manifest).toMatchObject({
      name: NOTES_ID,
      entry: 'src/plugin.ts',
      activation: 'onDemand',
      idleTimeoutMs: 5000,
      handshake,
    });
    expect([...manifest.services]).toEqual([[notes.name, [1]]]);
    expect(manifest.commands.map((command) => command.id)).toEqual([...notesCommandIds]);
    expect(manifest.commands.every((command) => command.title.length > 0)).toBe(true);
  });

  it('runs commands through the manager, which starts the extension on demand and stops it when idle', async () => {
    const dataDir = path.join(root, 'manager-test');
    const manager = await createNotesManager({
      dataDir,
      extensionFolders: [extensionsDir],
      logSink: false,
      runnerFor: () => new NodeRunner({ output: null }),
    });
    try {
      expect(manager.get(NOTES_ID)).toMatchObject({ state: 'stopped', activation: 'onDemand' });
      expect(manager.commands()).toEqual([
        { id: 'notes.add', title: 'Add a note', arguments: '<text>: what to note', extension: NOTES_ID },
        { id: 'notes.list', title: 'List the notes', extension: NOTES_ID },
        { id: 'notes.clear', title: 'Remove every note', extension: NOTES_ID },
      ]);

      const added = (await manager.executeCommand('notes.add', 'Buy milk')) as Note;
      expect(added).toMatchObject({ id: 1, text: 'Buy milk' });
      expect(added.created).toBeInstanceOf(Date);
      const { state, pid } = manager.get(NOTES_ID);
      expect(state).toBe('running');
      await expect(manager.executeCommand('notes.add', ' ')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(manager.executeCommand('notes.nope')).rejects.toMatchObject({
        code: 'COMMAND_NOT_FOUND',
      });

      const service = manager.service(NOTES_ID, notes);
      const changes: NotesChange[] = [];
      const subscription = service.onDidChange((change) => changes.push(change));
      expect(await service.add('Call Ada')).toMatchObject({ id: 2, text: 'Call Ada' });
      await waitFor(() => changes.length > 0, { what: 'the onDidChange event of the add' });
      expect(changes).toEqual([{ kind: 'added', ids: [2], count: 2 }]);
      subscription.dispose();
      const listed = (await manager.executeCommand('notes.list')) as Note[];
      expect(listed.map((note) => note.text)).toEqual(['Buy milk', 'Call Ada']);

      await waitFor(() => manager.get(NOTES_ID).state === 'stopped', { what: 'the idle stop' });
      expect(manager.get(NOTES_ID).pid).toBeUndefined();
      expect(() => process.kill(pid!, 0)).toThrow(); // the process is gone, not merely forgotten
      const file = JSON.parse(await readFile(path.join(dataDir, 'notes', NOTES_FILE), 'utf8')) as {
        notes: { text: string }[];
      };
      expect(file.notes.map((note) => note.text)).toEqual(['Buy milk', 'Call Ada']);
    } finally {
      await manager.dispose();
    }
  });

  it('the host starts it with a command, shows the idle stop, and starts it again (as npm start runs it)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...TYPESCRIPT_NODE_ARGS, 'src/host.ts', extensionsDir],
      { cwd: extensionDir },
    );
    const normalized = stdout
      .replaceAll(/pid \d+/g, 'pid <pid>')
      .replaceAll(/\(\d\d:\d\d:\d\d\)/g, '(<time>)');
    expect(normalized).toBe(
      [
        'Notes 0.1.0 is stopped: activation onDemand, stopped after 0.5 s unused',
        'Commands it contributes:',
        '  notes.add    Add a note  <text>: what to note',
        '  notes.list   List the notes',
        '  notes.clear  Remove every note',
        '> notes.add "Buy milk"',
        '  [stopped → starting]',
        '  [starting → running] pid <pid>',
        '  added #1 Buy milk (<time>)',
        '> notes.add "Call Ada"',
        '  added #2 Call Ada (<time>)',
        '> notes.add "   "',
        '  INVALID_ARGUMENT: A note needs some text, like notes.add("Buy milk"); got only spaces.',
        '> notes.list',
        '  #1 Buy milk (<time>)',
        '  #2 Call Ada (<time>)',
        'notes.remove(1) → true',
        '  onDidChange: removed #1, 1 left',
        'Nothing uses it now; after 0.5 s the manager stops it:',
        '  [running → stopping]',
        '  [stopping → stopped]',
        'notes.list() starts it again; the notes were in its file:',
        '  [stopped → starting]',
        '  [starting → running] pid <pid>',
        '  #2 Call Ada (<time>)',
        '> notes.clear',
        '  removed 1',
        '  [running → stopping]',
        '  [stopping → stopped]',
        '',
      ].join('\n'),
    );
  });
});
