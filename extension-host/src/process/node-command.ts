import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';

/**
 * The Node.js a runner starts Node code with: an executable plus the variables it needs to behave as Node.
 * By default the host's own ({@link hostNode}); an Electron app built with the RunAsNode fuse off cannot
 * use its own executable as Node, and passes {@link nodeFromPath} instead (docs/packaging.md, "Fuses").
 */
export interface NodeCommand {
  /** Absolute path of the executable. */
  readonly path: string;
  /** Variables it needs (`ELECTRON_RUN_AS_NODE` for Electron's binary); set over the plugin's own. */
  readonly env: Readonly<Record<string, string>>;
}

/** Where a runner gets its Node: a fixed command, or one looked up at each start. */
export type NodeCommandSource = NodeCommand | (() => Promise<NodeCommand>);

/**
 * The host's own Node: `process.execPath`, with `ELECTRON_RUN_AS_NODE=1` when that is Electron (which then
 * runs as plain Node — if the app's RunAsNode fuse is on).
 */
export function hostNode(): NodeCommand {
  return {
    path: process.execPath,
    env: process.versions.electron === undefined ? {} : { ELECTRON_RUN_AS_NODE: '1' },
  };
}

/** The command a source gives now. */
export async function resolveNodeCommand(source: NodeCommandSource | undefined): Promise<NodeCommand> {
  if (source === undefined) return hostNode();
  return typeof source === 'function' ? source() : source;
}

/**
 * The first `node` executable on `env.PATH` (`node.exe` on Windows), looked up now, so a Node
 * installed after the app started is found on the next start. Rejects with `NODE_NOT_FOUND` saying what
 * to install, and why this app needs it (`reason`).
 */
export async function nodeFromPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  reason = 'Node extensions need a Node.js on PATH here',
): Promise<NodeCommand> {
  const pathValue = env['PATH'] ?? env['Path'] ?? '';
  const folders = pathValue.split(path.delimiter).filter((folder) => path.isAbsolute(folder));
  // Only node.exe on Windows: a node.cmd shim cannot be started without a shell.
  const name = process.platform === 'win32' ? 'node.exe' : 'node';
  for (const folder of folders) {
    const candidate = path.join(folder, name);
    if (await isExecutableFile(candidate)) return { path: candidate, env: {} };
  }
  throw new TetherError(
    'NODE_NOT_FOUND',
    `${reason}, and none was found on PATH (${folders.length} ${folders.length === 1 ? 'folder' : 'folders'} ` +
      'searched). ' +
      'Install Node.js 20 or newer (https://nodejs.org) and start the extension again.',
  );
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
