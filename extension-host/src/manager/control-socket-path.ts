// Where a manager's control socket and host pid file are, and the private folder that holds them.
import { createHash } from 'node:crypto';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { TetherError } from '@tether/sdk';
import { CONTROL_SOCKET_FILE, HOST_PID_FILE, MAX_UNIX_SOCKET_PATH_BYTES } from '../constants.js';

/**
 * The control socket of the data folder `dataFolder`: `<dataFolder>/control.sock` (on Windows a named pipe
 * named after the folder, since pipes live in their own namespace).
 */
export function controlSocketPath(dataFolder: string): string {
  const folder = path.resolve(dataFolder);
  if (process.platform === 'win32') {
    const hash = createHash('sha256').update(folder.toLowerCase()).digest('hex').slice(0, 24);
    return `\\\\.\\pipe\\tether-control-${hash}`;
  }
  return path.join(folder, CONTROL_SOCKET_FILE);
}

/** The file holding the pid of the host that serves the control socket of `dataFolder`. */
export function hostPidPath(dataFolder: string): string {
  return path.join(path.resolve(dataFolder), HOST_PID_FILE);
}

/**
 * Creates `dataFolder` with mode 0700 when it is missing, or narrows an existing one to 0700: the control
 * socket is only as private as its folder (it is made 0600 right after bind, and the folder closes the gap
 * in between). Returns the absolute path.
 * @throws TetherError INVALID_OPTIONS when it is not a folder, belongs to another user, or is too deep for a
 * Unix socket path.
 */
export async function preparePrivateFolder(dataFolder: string): Promise<string> {
  const folder = path.resolve(dataFolder);
  const socketPath = controlSocketPath(folder);
  if (process.platform !== 'win32' && Buffer.byteLength(socketPath) > MAX_UNIX_SOCKET_PATH_BYTES) {
    problem(
      `The data folder ${folder} is too deep for a control socket: ${socketPath} is longer than the ${MAX_UNIX_SOCKET_PATH_BYTES} bytes a Unix socket path may have. Use a shorter folder with --data.`,
    );
  }
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const stats = await stat(folder);
  if (!stats.isDirectory())
    problem(`The data folder ${folder} is not a folder. Use another one with --data.`);
  if (process.platform === 'win32') return folder;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    problem(
      `The data folder ${folder} belongs to another user (uid ${stats.uid}); its control socket would not be private. Use a folder of your own with --data.`,
    );
  }
  if ((stats.mode & 0o077) !== 0) await chmod(folder, 0o700);
  return folder;
}

function problem(message: string): never {
  throw new TetherError('INVALID_OPTIONS', message);
}
