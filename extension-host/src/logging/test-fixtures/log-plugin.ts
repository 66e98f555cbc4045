// Test plugin for the host's log intake. It does the handshake itself (docs/protocol.md §5) so it can open
// the `tether.logs` channel and write §5.4 messages with nothing but the value codec: the host is tested
// against the protocol, not against the SDK's logger. Its service makes it log, flood and crash on demand.
import {
  HANDSHAKE_CHANNEL_LABEL,
  MuxSession,
  PLUGIN_SECRET_ENV,
  RpcPeer,
  ValueCodec,
  connectUnixSocket,
  encodeHandshakeMessage,
  parseHandshakeMessage,
  type MuxChannel,
} from '@tether/sdk/wire';
import { logFixture, logFixtureHandshake } from './log-contract.js';

const codec = new ValueCodec();
const transport = await connectUnixSocket(process.env['TETHER_SOCKET']!);
const session = new MuxSession(transport, { role: 'acceptor' });
const control = session.openChannel(HANDSHAKE_CHANNEL_LABEL);
const peer = new RpcPeer(session, { peerName: 'the host' });
let logs: MuxChannel | undefined;

function send(channel: MuxChannel, message: Uint8Array): Promise<void> {
  if (channel.send(message)) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = channel.onDidDrain(() => {
      sub.dispose();
      resolve();
    });
  });
}

function write(text: string): Promise<void> {
  return process.stderr.write(text)
    ? Promise.resolve()
    : new Promise((resolve) => process.stderr.once('drain', resolve));
}

peer.expose(logFixture, {
  async records(n, messageChars, suppressed) {
    const text = 'r'.repeat(Math.max(0, messageChars - 12));
    for (let i = 0; i < n;) {
      const batch: unknown[] = [];
      for (const end = Math.min(n, i + 256); i < end; i++) {
        batch.push({
          t: Date.now(),
          l: i % 2 === 0 ? 'info' : 'debug',
          s: 'flood',
          m: `${i} ${text}`,
          f: { i },
        });
      }
      await send(logs!, codec.encode([batch, i >= n ? suppressed : 0]));
    }
    return n;
  },
  async stderrLines(n, lineChars) {
    const line = 'e'.repeat(Math.max(0, lineChars - 12));
    let chunk = '';
    for (let i = 0; i < n; i++) {
      if (i % 10 === 9) console.error(`console ${i}`);
      else chunk += `[WARN] ${i} ${line}\n`;
      if (chunk.length >= 64 * 1024 || i === n - 1) {
        await write(chunk);
        chunk = '';
      }
    }
    return n;
  },
  logThenCrash() {
    logs!.send(
      codec.encode([
        [
          { t: Date.now(), l: 'info', s: 'db', m: 'opening the database' },
          {
            t: Date.now(),
            l: 'error',
            s: 'db',
            m: 'lost the database handle',
            f: { attempt: 3 },
            e: new Error('ECONNRESET'),
          },
        ],
        0,
      ]),
    );
    process.stderr.write('[WARN] last words before the crash\n');
    setTimeout(() => {
      throw new TypeError('the database handle is gone');
    }, 50);
  },
});

control.onDidReceive((bytes) => {
  const message = parseHandshakeMessage(bytes, 'the host');
  if (message.type === 'welcome') {
    control.send(encodeHandshakeMessage({ type: 'ready' }));
    logs = session.openChannel('tether.logs');
    logs.send(codec.encode([[{ t: Date.now(), l: 'info', s: 'main', m: 'log fixture ready' }], 0]));
  } else if (message.type === 'stop') {
    process.exit(0);
  }
});
control.send(
  encodeHandshakeMessage({
    type: 'hello',
    core: 1,
    sdk: '0.1.0',
    pid: process.pid,
    cookie: process.env[logFixtureHandshake.cookieKey] ?? null,
    versions: { '1': ['logfix'] },
    auth: process.env[PLUGIN_SECRET_ENV] ?? '',
  }),
);
session.onDidClose(() => process.exit(0));
