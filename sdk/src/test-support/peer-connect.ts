// Used inside fixture processes started by `startPeerProcess` (peer-process.ts): connects back to the test.
import { connectUnixSocket } from '../transport/node/unix-socket.js';
import type { StreamTransport } from '../transport/node/stream-transport.js';

/** The environment variable that carries the test host's socket path to the fixture process. */
export const TEST_SOCKET_ENV = 'TETHER_TEST_SOCKET';

export interface ConnectToTestHostOptions {
  /**
   * Exit the process when the connection closes: code 0 after an orderly close, 1 (with the error on
   * stderr) after an abnormal one. The close is noticed once something subscribed to `onDidReceive`
   * (a mux session always does): a transport that is not read does not see the peer's end.
   */
  readonly exitOnClose?: boolean;
}

/** Connects to the socket named by `TETHER_TEST_SOCKET`, which `startPeerProcess` sets. */
export async function connectToTestHost(options: ConnectToTestHostOptions = {}): Promise<StreamTransport> {
  const path = process.env[TEST_SOCKET_ENV];
  if (path === undefined || path === '') {
    throw new Error(
      `${TEST_SOCKET_ENV} is not set: this fixture must be started by startPeerProcess() from sdk/src/test-support/peer-process.ts.`,
    );
  }
  const transport = await connectUnixSocket(path);
  if (options.exitOnClose === true) {
    transport.onDidClose((event) => {
      if (event.error !== undefined)
        process.stderr.write(`connection to the test host failed: ${event.error.message}\n`);
      process.exit(event.error === undefined ? 0 : 1);
    });
  }
  return transport;
}
