// The one fixture plugin of the client tests; its misbehaviour is chosen by the first argument
// (go-plugin's helperProcess): well-behaved | exit-during-handshake | never-handshake | wrong-cookie |
// other-core | stdout-noise | stderr-flood | ignore-stop | crash-on-start.
import { spawn } from 'node:child_process';
import { implement, serve } from '@tether/sdk';
import {
  HANDSHAKE_CHANNEL_LABEL,
  MuxSession,
  connectUnixSocket,
  encodeHandshakeMessage,
} from '@tether/sdk/wire';
import { fixture, fixtureHandshake, hostHelper } from './contract.js';

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
if (mode === 'never-handshake') {
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
  const transport = await connectUnixSocket(socket!);
  const channel = new MuxSession(transport, { role: 'acceptor' }).openChannel(HANDSHAKE_CHANNEL_LABEL);
  channel.send(
    encodeHandshakeMessage({
      type: 'hello',
      core: 2,
      sdk: '0.0.1',
      pid: process.pid,
      cookie: process.env[fixtureHandshake.cookieKey] ?? null,
      versions: { '1': ['fixture'] },
    }),
  );
  channel.onDidReceive(() => setTimeout(() => process.exit(1), 10));
} else {
  if (mode === 'ignore-stop') process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\n'));
  const cookie =
    mode === 'wrong-cookie' ? { ...fixtureHandshake, cookieValue: 'some-other-app' } : fixtureHandshake;
  const handle = await serve({
    handshake: cookie,
    services: [
      implement(fixture, {
        add: (a, b) => a + b,
        crash(code) {
          setImmediate(() => process.exit(code));
        },
        hang() {
          for (;;) {
            // A handler that blocks the event loop for good.
          }
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
        callHost: (n) => handle.host(hostHelper).triple(n),
      }),
    ],
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
