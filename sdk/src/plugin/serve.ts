// `serve()`: the whole main of a plugin. Finds the transport its host gave it and hands over to servePlugin.
import { PLUGIN_SECRET_ENV, SOCKET_ENV } from '../constants.js';
import { TetherError } from '../errors/tether-error.js';
import { MessagePortTransport, type MessagePortLike } from '../transport/message-port-transport.js';
import type { Transport } from '../transport/transport.js';
import { connectUnixSocket } from '../transport/node/unix-socket.js';
import { exitWithGroupOnHostDeath } from './host-death-exit.js';
import { processEnvironment, type PluginEnvironment } from './plugin-environment.js';
import { resolveServedVersions, type ServeHandle, type ServeOptions } from './serve-options.js';
import { defaultServeLogging } from './serve-logging-defaults.js';
import { servePlugin } from './serve-plugin.js';

export { SOCKET_ENV };

/** What a plugin run by hand prints on stderr before it exits 1 (protocol.md 5.1). */
export const NOT_STARTED_MESSAGE =
  'This is a Tether plugin; it is started by an app that uses it, not run directly. ' +
  'Install it in that app, and the app will start it when needed; or try it now with ' +
  "`tether dev <its folder>` (the app's UI in your browser, restarted when you edit it).";

/**
 * Serves a plugin: connects to the host (the Unix socket in `TETHER_SOCKET`, or the Electron utility
 * process's `process.parentPort`), does the handshake, exposes the services of the negotiated version and
 * resolves once the host may call them. Later the process exits by itself: 0 when the host asks it to stop,
 * 1 when the host goes away without asking (see `servePlugin` for every case); when the host died and the
 * plugin leads its process group (as the host's runners start it), it SIGKILLs that group, itself included,
 * so that nothing it started outlives the host. Run without a host, it
 * prints {@link NOT_STARTED_MESSAGE} on stderr and exits 1.
 *
 * ```ts
 * await serve({ handshake, services: [implement(greeter, { greet: (name) => `Hello, ${name}!` })] });
 * ```
 */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  resolveServedVersions(options); // bad options fail here, before anything connects
  const { exit, ...rest } = options;
  const environment = processEnvironment(exit);
  ignoreBrokenStdio();
  const transport = await findHostTransport(environment);
  // A plugin process: its console and its fatal errors belong to the host's log, unless told otherwise or
  // its stdout is a terminal (then the console is the user's).
  const logging = { ...defaultServeLogging(process.stdout), ...rest.logging };
  // Every exit goes through the environment, which takes the plugin's process group along when the host
  // has died (host-death-exit.ts).
  const started = servePlugin(
    transport,
    { ...rest, logging },
    exitWithGroupOnHostDeath(environment, transport),
  );
  // The per-launch secret went out in HELLO (synchronously above); what the plugin starts does not inherit it.
  delete process.env[PLUGIN_SECRET_ENV];
  return started;
}

async function findHostTransport(environment: PluginEnvironment): Promise<Transport> {
  const socket = environment.env[SOCKET_ENV];
  if (socket !== undefined && socket !== '') {
    try {
      return await connectUnixSocket(socket);
    } catch (error) {
      const message = `This plugin could not connect to its host: ${(error as Error).message}`;
      environment.writeStderr(`${message}\n`);
      environment.exit(1);
      throw new TetherError('NOT_STARTED', message, { cause: error });
    }
  }
  const parentPort = (process as { parentPort?: unknown }).parentPort;
  if (typeof parentPort === 'object' && parentPort !== null) {
    return new MessagePortTransport(parentPort as MessagePortLike);
  }
  environment.writeStderr(`${NOT_STARTED_MESSAGE}\n`);
  environment.exit(1);
  throw new TetherError('NOT_STARTED', NOT_STARTED_MESSAGE);
}

/**
 * A plugin's stdout and stderr are read by its host. Once the host is gone a write to them fails with EPIPE,
 * which, unhandled, is an uncaught exception: the plugin would die of its own "the host is gone" line before
 * it takes its process group along (seen under load, host-death.test.ts). Such errors are ignored; others
 * still surface as before.
 */
function ignoreBrokenStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (ignoredStreams.has(stream)) continue;
    ignoredStreams.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      queueMicrotask(() => {
        throw error;
      });
    });
  }
}

const ignoredStreams = new WeakSet<NodeJS.WriteStream>();
