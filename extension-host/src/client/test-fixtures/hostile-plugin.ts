// A hostile plugin that writes the wire by hand (protocol.md sections 2 and 5), for the hardening tests
// (issue 10). Its attack is chosen by the first argument:
//   oversize-frame   handshake, then, once the host's first call arrives, a frame header claiming 300000 bytes
//   partial-flood    handshake, then, once the host's first call arrives, 8 rpc channels each sending an
//                    unfinished 48 MiB message (respecting credit), and it keeps running
//   close-and-linger handshake, then, once the host's first call arrives, GOAWAY (normal) and keep running
//   impostor         connect without the per-launch secret, claiming pid 1; try a host service first;
//                    print what happened on stderr and exit
// Every mode but impostor ignores SIGTERM: only a SIGKILL of its group ends it.
import { createConnection, type Socket } from 'node:net';

const mode = process.argv[2] ?? 'oversize-frame';
const socketPath = process.env['TETHER_SOCKET'];
if (socketPath === undefined) throw new Error('hostile-plugin: no TETHER_SOCKET');

const Type = { Open: 1, Data: 2, Window: 3, End: 4, Reset: 5, Ping: 6, GoAway: 7 } as const;
const MORE = 0x01;
const FRAME = 256 * 1024;

function frame(
  type: number,
  flags: number,
  channel: number,
  payload: Uint8Array = new Uint8Array(0),
): Buffer {
  const header = Buffer.alloc(10);
  header.writeUInt32BE(payload.byteLength, 0);
  header.writeUInt8(type, 4);
  header.writeUInt8(flags, 5);
  header.writeUInt32BE(channel, 6);
  return Buffer.concat([header, payload]);
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

interface Frame {
  type: number;
  flags: number;
  channel: number;
  payload: Buffer;
}

/** Reads frames off the socket (no limits: this side is the attacker, the host is the one under test). */
function readFrames(socket: Socket, onFrame: (frame: Frame) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.byteLength >= 10) {
      const length = buffered.readUInt32BE(0);
      if (buffered.byteLength < 10 + length) break;
      onFrame({
        type: buffered.readUInt8(4),
        flags: buffered.readUInt8(5),
        channel: buffered.readUInt32BE(6),
        payload: buffered.subarray(10, 10 + length),
      });
      buffered = buffered.subarray(10 + length);
    }
  });
}

const socket = createConnection({ path: socketPath });
socket.on('error', () => undefined);
await new Promise<void>((resolve) => socket.once('connect', resolve));
if (mode !== 'impostor') {
  process.stderr.write('hostile: connected, about to misbehave\n');
  process.on('SIGTERM', () => process.stderr.write('hostile: ignoring SIGTERM\n'));
}

const credit = new Map<number, number>();
const creditWaiters: (() => void)[] = [];
socket.on('close', () => {
  for (const wake of creditWaiters.splice(0)) wake();
});
let welcomed = false;
let attacked = false;
let impostorAnswer: string | undefined;

readFrames(socket, (f) => {
  if (f.type === Type.Window) {
    credit.set(f.channel, (credit.get(f.channel) ?? 65536) + f.payload.readUInt32BE(0));
    for (const wake of creditWaiters.splice(0)) wake();
  } else if (f.type === Type.Data && f.channel === 2) {
    const message = JSON.parse(f.payload.toString()) as { type: string; code?: string };
    if (message.type === 'welcome') {
      welcomed = true;
      socket.write(frame(Type.Data, 0, 2, json({ type: 'ready' })));
    } else if (message.type === 'reject') {
      process.stderr.write(`impostor: refused with ${message.code} (host service call: ${impostorAnswer})\n`);
      setTimeout(() => process.exit(2), 50);
    }
  } else if (f.type === Type.Data && f.channel === 4 && mode === 'impostor') {
    impostorAnswer = f.payload.includes('SERVICE_NOT_FOUND') ? 'SERVICE_NOT_FOUND' : 'answered';
  } else if (f.type === Type.Data && f.channel === 1 && welcomed && !attacked) {
    attacked = true; // the host's first call: attack now
    void attack();
  }
});

// The handshake channel (2) and an rpc channel (4), as the SDK opens them.
socket.write(
  Buffer.concat([
    frame(Type.Open, 0, 2, Buffer.from('tether.handshake')),
    frame(Type.Open, 0, 4, Buffer.from('rpc')),
  ]),
);

/** HELLO on the handshake channel (2); `pid` and `auth` are whatever this process chooses to claim. */
function sayHello(pid: number, auth: string): void {
  const cookie = process.env['TETHER_FIXTURE_COOKIE'] ?? null;
  const hello = { type: 'hello', core: 1, sdk: '0.1.0', pid, cookie, versions: { '1': ['fixture'] }, auth };
  socket.write(frame(Type.Data, 0, 2, json(hello)));
}

if (mode === 'impostor') {
  // A call to the host's helper service before any HELLO: [CALL, id 1, 'fixture.host', 'triple', [2]] in
  // MessagePack: fixarray 5, 1, 1, fixstr 'fixture.host', fixstr 'triple', fixarray 1 [2].
  const call = Buffer.from([
    0x95,
    0x01,
    0x01,
    0xac,
    ...Buffer.from('fixture.host'),
    0xa6,
    ...Buffer.from('triple'),
    0x91,
    0x02,
  ]);
  socket.write(frame(Type.Data, 0, 4, call));
  // Then, a little later, a HELLO claiming to be pid 1, with a guessed secret.
  setTimeout(() => sayHello(1, 'guessed'), 100);
} else {
  sayHello(process.pid, process.env['TETHER_PLUGIN_SECRET'] ?? '');
  setInterval(() => undefined, 1000);
}

async function attack(): Promise<void> {
  if (mode === 'oversize-frame') {
    // A DATA header claiming 300000 bytes (over the 256 KiB maxFrameSize), then some of its bytes.
    const header = Buffer.alloc(10);
    header.writeUInt32BE(300_000, 0);
    header.writeUInt8(Type.Data, 4);
    header.writeUInt32BE(4, 6);
    socket.write(Buffer.concat([header, Buffer.alloc(1000)]));
  } else if (mode === 'close-and-linger') {
    const goAway = Buffer.alloc(4);
    socket.end(frame(Type.GoAway, 0, 0, goAway));
  } else if (mode === 'partial-flood') {
    const ids = [1000, 1002, 1004, 1006, 1008, 1010, 1012, 1014];
    socket.write(Buffer.concat(ids.map((id) => frame(Type.Open, 0, id, Buffer.from('rpc')))));
    const chunk = Buffer.alloc(FRAME, 7);
    const perChannel = 48 * 1024 * 1024;
    const sent = new Map<number, number>(ids.map((id) => [id, 0]));
    for (;;) {
      let progressed = false;
      for (const id of ids) {
        const left = credit.get(id) ?? 65536;
        if ((sent.get(id) ?? 0) >= perChannel - FRAME || left < FRAME) continue;
        credit.set(id, left - FRAME);
        sent.set(id, (sent.get(id) ?? 0) + FRAME);
        progressed = true;
        if (!socket.write(frame(Type.Data, MORE, id, chunk)))
          await new Promise((resolve) => socket.once('drain', resolve));
      }
      if (socket.destroyed) break;
      if (!progressed) await new Promise<void>((resolve) => creditWaiters.push(resolve));
    }
  }
}
