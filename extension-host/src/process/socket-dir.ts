import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TetherError, type Disposable } from '@tether/sdk';
import { listenUnixSocket, type UnixSocketListener } from '@tether/sdk/wire';
import { MAX_UNIX_SOCKET_PATH_BYTES, SOCKET_DIR_PREFIX, SOCKET_FILE_NAME } from '../constants.js';

/**
 * A private directory (mode 0700) holding one listening Unix socket for one plugin launch. The directory,
 * not the socket file's mode, is the access control: only the host's user (and root) can reach the socket.
 * `dispose()` stops listening and removes the directory; it is idempotent.
 */
export interface SocketDir extends Disposable {
  /** The private directory (`undefined` on Windows, where the socket is a named pipe). */
  readonly dir: string | undefined;
  /** The path the plugin connects to; goes to the plugin as `TETHER_SOCKET`. */
  readonly socketPath: string;
  readonly listener: UnixSocketListener;
}

/** Options of {@link createSocketDir}. */
export interface SocketDirOptions {
  /** Where the private directory is created (default: `os.tmpdir()`). */
  readonly parent?: string | undefined;
}

/** Creates a fresh private directory and listens on a socket inside it. */
export async function createSocketDir(options: SocketDirOptions = {}): Promise<SocketDir> {
  if (process.platform === 'win32') {
    const socketPath = `\\\\.\\pipe\\${SOCKET_DIR_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`;
    const listener = await listenUnixSocket(socketPath);
    return new PrivateSocket(undefined, socketPath, listener);
  }
  const dir = await mkdtemp(join(options.parent ?? tmpdir(), SOCKET_DIR_PREFIX));
  try {
    // mkdtemp already creates it 0700; say so explicitly rather than rely on it.
    await chmod(dir, 0o700);
    const socketPath = join(dir, SOCKET_FILE_NAME);
    if (Buffer.byteLength(socketPath) > MAX_UNIX_SOCKET_PATH_BYTES) {
      throw new TetherError(
        'INVALID_OPTIONS',
        `The plugin socket path ${socketPath} is longer than the ${MAX_UNIX_SOCKET_PATH_BYTES} bytes a Unix ` +
          'socket path may have; set TMPDIR (or the socket directory option) to a shorter directory.',
      );
    }
    const listener = await listenUnixSocket(socketPath);
    return new PrivateSocket(dir, socketPath, listener);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

class PrivateSocket implements SocketDir {
  #disposed = false;

  constructor(
    readonly dir: string | undefined,
    readonly socketPath: string,
    readonly listener: UnixSocketListener,
  ) {}

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.listener.dispose();
    // Synchronous, so that nothing is left behind even if the host exits right after.
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}
