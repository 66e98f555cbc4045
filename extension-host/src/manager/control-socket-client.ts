// The client's half of the control socket (control-socket-server.ts is the host's): a typed
// `Remote<ManagerApi>` on the host that serves a data folder.
import path from 'node:path';
import { TetherError, isTetherError, type Disposable, type Remote } from '@tether/sdk';
import { connectRpc, connectUnixSocket, type RpcPeer } from '@tether/sdk/wire';
import { controlSocketPath } from './control-socket-path.js';
import { managerApi, type ManagerApi } from './manager-api.js';
import { defaultDataFolder } from './manager-options.js';

/** A connection to a running host. Dispose it to disconnect (pending calls reject with CONNECTION_CLOSED). */
export interface ControlConnection extends Disposable {
  readonly api: Remote<ManagerApi>;
  readonly peer: RpcPeer;
  readonly dataFolder: string;
}

/**
 * Connects to the host serving `dataFolder` (`tether host --data <dataFolder>`, or an app that serves its
 * control socket).
 * @throws TetherError HOST_NOT_RUNNING when no host listens there (no socket file, or one left by a host that
 * was killed); TRANSPORT_ERROR for other failures to connect (another user's socket…).
 */
export async function connectControlSocket(dataFolder: string): Promise<ControlConnection> {
  const folder = path.resolve(dataFolder);
  const socketPath = controlSocketPath(folder);
  let transport;
  try {
    transport = await connectUnixSocket(socketPath);
  } catch (error) {
    const errno = isTetherError(error) ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
    if (errno === 'ENOENT' || errno === 'ECONNREFUSED') {
      const dataFlag = folder === path.resolve(defaultDataFolder('tether')) ? '' : ` --data ${folder}`;
      const left =
        errno === 'ECONNREFUSED' ? ` (${socketPath} was left by a host that did not exit cleanly)` : '';
      throw new TetherError(
        'HOST_NOT_RUNNING',
        `No tether host is running for data folder ${folder}${left}; start one with "tether host --extensions <dir>${dataFlag}".`,
        { cause: error },
      );
    }
    throw error;
  }
  const peer = connectRpc(transport, { role: 'initiator', peerName: `the tether host of ${folder}` });
  return { api: peer.remote(managerApi), peer, dataFolder: folder, dispose: () => peer.dispose() };
}
