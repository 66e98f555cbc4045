// The app's side of the notes extension: an ExtensionHostManager set up the way an app's main process sets it
// up, over folders that hold this extension. The manager reads the manifest and starts the extension itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ExtensionHostManager,
  typeScriptNodeArgs,
  type ExtensionHostManagerOptions,
} from '@tether/extension-host';
import { NOTES_DIR_ENV, handshake } from './contract.js';

/** This sample's folder (the one with package.json and its `tether` manifest): itself an extension folder. */
export const extensionDir = fileURLToPath(new URL('..', import.meta.url));

/** The extension's id in the manager: its package name. */
export const NOTES_ID = '@tether-samples/notes';

/** Node flags that run this sample's TypeScript (its host, in tests) from source. */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = typeScriptNodeArgs();

export interface NotesAppOptions extends Partial<
  Omit<ExtensionHostManagerOptions, 'app' | 'dataFolder' | 'env'>
> {
  /** The app's own folder: the manager's state and log files in `app/`, the notes in `notes/`. */
  readonly dataDir: string;
}

/**
 * Creates the manager: the samples' app name and cookie, `extensionFolders` (default: this sample's folder,
 * a development folder), and the notes folder passed to every extension as `$NOTES_DIR`.
 */
export function createNotesManager({
  dataDir,
  extensionFolders = [extensionDir],
  ...options
}: NotesAppOptions): Promise<ExtensionHostManager> {
  return ExtensionHostManager.create({
    ...options,
    app: { name: 'tether-samples', handshake },
    extensionFolders,
    dataFolder: path.join(dataDir, 'app'),
    env: { [NOTES_DIR_ENV]: path.join(dataDir, 'notes') },
  });
}
