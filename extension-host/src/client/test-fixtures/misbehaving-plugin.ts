// The one fixture plugin of the client tests; its misbehaviour is chosen by the first argument
// (go-plugin's helperProcess): well-behaved | exit-during-handshake | never-connect | never-handshake |
// hello-only | wrong-cookie | commands (also registers the commands of fixture-commands.ts) |
// other-core | stdout-noise | stderr-flood | ignore-stop | crash-on-start | impostor-first |
// oversized (each also serves as well-behaved) | no-acks (serves the fixture service like an older SDK:
// its HELLO does not offer call acknowledgements). The attacks that write the wire by hand are in
// hostile-plugin.ts.
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { Emitter, implement, serve, type Remote } from '@tether/sdk';
import {
  HANDSHAKE_CHANNEL_LABEL,
  MuxSession,
  PLUGIN_SECRET_ENV,
  RpcPeer,
  connectUnixSocket,
  encodeHandshakeMessage,
  parseHandshakeMessage,
  type MuxChannel,
} from '@tether/sdk/wire';
import {
  OVERSIZE_LIMIT,
  fixture,
  fixtureHandshake,
  hostHelper,
  hostSizes,
  oversize,
  type Fixture,
  type HostHelper,
} from './contract.js';
import { fixtureCommands } from './fixture-commands.js';

/** 'ok' (or what `describe` makes of the value) when `promise` resolves, else the error's code. */
async function outcome<T>(promise: Promise<T>, describe: (value: T) => string = () => 'ok'): Promise<string> {
  try {
    return describe(await promise);
  } catch (error) {
    return errorCode(error);
  }
}

/**
 * Connects and says HELLO by hand (a correct one of an SDK that does not acknowledge calls, but for
 * `overrides`); returns the session and its handshake channel.
 */
async function handWrittenHello(overrides: {
  core?: number;
  sdk?: string;
}): Promise<{ session: MuxSession; channel: MuxChannel }> {
  const transport = await connectUnixSocket(socket!);
  const session = new MuxSession(transport, { role: 'acceptor' });
  const channel = session.openChannel(HANDSHAKE_CHANNEL_LABEL);
  channel.send(
    encodeHandshakeMessage({
      type: 'hello',
      core: overrides.core ?? 1,
      sdk: overrides.sdk ?? '0.1.0',
      pid: process.pid,
      cookie: process.env[fixtureHandshake.cookieKey] ?? null,
      versions: { '1': ['fixture'] },
      auth: process.env[PLUGIN_SECRET_ENV] ?? '',
    }),
  );
  return { session, channel };
}

/** The fixture service; `host()` is the host's helper service. */
function fixtureService(host: () => Remote<HostHelper>): Fixture {
  return {
    add: (a, b) => a + b,
    crash(code) {
      setImmediate(() => process.exit(code));
    },
    hang() {
      for (;;) {
        // A handler that blocks the event loop for good.
      }
    },
    block(ms) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // A handler that blocks the event loop for a while.
      }
      return ms;
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(() => resolve('slept'), ms)),
    grandchild() {
      const child = spawn(
        process.execPath,
        ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'],
        {
          stdio: 'ignore',
        },
      );
      return child.pid ?? -1;
    },
    callHost: (n) => host().triple(n),
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}

const mode = process.argv[2] ?? 'well-behaved';
const socket = process.env['TETHER_SOCKET'];

if (mode === 'stdout-noise') {
  // Stray output before the handshake must not break start-up (go-plugin #199).
  process.stdout.write('{"not":"a handshake"}\n1|1|tcp|127.0.0.1:1234|grpc\nrandom noise\n');
  setInterval(() => process.stdout.write('still noisy\n'), 5).unref();
}
if (mode === 'stderr-flood') {
  const line = `${'x'.repeat(200)}\n`;
  const flood = (): void => {
    for (let i = 0; i < 200; i++) process.stderr.write(line);
    setImmediate(flood);
  };
  flood();
}
if (mode === 'crash-on-start') {
  process.stderr.write('fatal: cannot open the database at /nonexistent\n');
  process.exit(3);
}
if (mode === 'impostor-first') {
  // A same-user process reaches the socket first (here a child of the plugin, without the secret); the
  // plugin connects once the host has refused it (issue 10, point 5).
  const env = { ...process.env };
  delete env[PLUGIN_SECRET_ENV];
  const impostor = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL('./hostile-plugin.ts', import.meta.url)), 'impostor'],
    { env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  await new Promise((resolve) => impostor.once('exit', resolve));
}
if (mode === 'never-connect') {
  setInterval(() => undefined, 1000);
} else if (mode === 'hello-only') {
  // Says HELLO (correctly), gets WELCOME, never says READY.
  await handWrittenHello({});
  setInterval(() => undefined, 1000);
} else if (mode === 'never-handshake') {
  // Connects, then says nothing.
  await connectUnixSocket(socket!);
  setInterval(() => undefined, 1000);
} else if (mode === 'exit-during-handshake') {
  const transport = await connectUnixSocket(socket!);
  new MuxSession(transport, { role: 'acceptor' }).openChannel(HANDSHAKE_CHANNEL_LABEL);
  process.stderr.write('giving up half-way through the handshake\n');
  setTimeout(() => process.exit(4), 20);
} else if (mode === 'other-core') {
  // Speaks another core protocol than the host (a newer SDK).
  const { channel } = await handWrittenHello({ core: 2, sdk: '0.0.1' });
  channel.onDidReceive(() => setTimeout(() => process.exit(1), 10));
} else if (mode === 'no-acks') {
  // An older SDK: serves the fixture service, and never offered (nor sends) call acknowledgements.
  const { session, channel } = await handWrittenHello({});
  const peer = new RpcPeer(session, { peerName: 'the host' });
  session.onDidClose(() => process.exit(1));
  channel.onDidReceive((bytes) => {
    if (parseHandshakeMessage(bytes, 'the host').type !== 'welcome') return;
    peer.expose(
      fixture,
      fixtureService(() => peer.remote(hostHelper)),
    );
    channel.send(encodeHandshakeMessage({ type: 'ready' }));
  });
} else {
  if (mode === 'ignore-stop') process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\n'));
  const cookie =
    mode === 'wrong-cookie' ? { ...fixtureHandshake, cookieValue: 'some-other-app' } : fixtureHandshake;
  // 'oversized': also the oversize service, with a small message limit both sides agree on.
  const sent = new Emitter<Uint8Array>();
  const oversized =
    mode === 'oversized'
      ? {
          services: [
            implement(oversize, {
              take: (bytes) => bytes.byteLength,
              make: (size) => new Uint8Array(size),
              hostMake: (size) => outcome(handle.host(hostSizes).make(size)),
              hostTake: (size) => outcome(handle.host(hostSizes).take(new Uint8Array(size))),
              hostNote: (size) => outcome(handle.host(hostSizes).note(new Uint8Array(size))),
              callBack: (callback, size) =>
                outcome(
                  (callback as unknown as (n: number) => Promise<Uint8Array>)(size),
                  (bytes) => `got ${bytes.byteLength}`,
                ),
              emit(size) {
                const failures: Error[] = [];
                const sub = handle.peer.onDidFail((error) => failures.push(error));
                sent.fire(new Uint8Array(size));
                sub.dispose();
                return Promise.resolve(failures.length === 0 ? 'ok' : errorCode(failures[0]));
              },
              async *items(sizes) {
                for (const size of sizes) yield await Promise.resolve(new Uint8Array(size));
              },
              onDidSend: sent.event,
            }),
          ],
          mux: { maxMessageSize: OVERSIZE_LIMIT },
        }
      : { services: [] };
  const handle = await serve({
    handshake: cookie,
    services: [
      implement(
        fixture,
        fixtureService(() => handle.host(hostHelper)),
      ),
      ...oversized.services,
    ],
    ...('mux' in oversized ? { mux: oversized.mux } : {}),
    ...(mode === 'commands' ? { commands: fixtureCommands } : {}),
    // Ignoring a stop for real: the event loop is stuck, so neither the SDK's grace timer nor a SIGTERM
    // handler can run; only SIGKILL ends it.
    ...(mode === 'ignore-stop'
      ? {
          onStop: () => {
            for (;;) {
              // stuck
            }
          },
        }
      : {}),
  });
}
