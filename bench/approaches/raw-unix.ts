// The raw floor: length-prefixed frames over a Unix socket with `node:net` only (raw-unix-frames.ts),
// writes corked per tick. The child echoes every echo frame. No RPC layer, so no callback. Streams: data
// frames written with write()/'drain' backpressure, then an end frame; the receiver counts the bytes.
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isChildOf, spawnChild, stopChild, streamPattern, type Approach } from '../harness.js';
import {
  FrameReader,
  FrameType,
  frameSender,
  numberPayload,
  readNumber,
  writeStream,
} from './raw-unix-frames.js';

const NOTHING = new Uint8Array(0);

export const rawUnix: Approach = {
  id: 'raw-unix',
  label: 'raw Unix socket, length-prefixed (floor)',
  kind: 'floor',
  unsupported: { callbackP50: 'no RPC layer: a byte ping-pong has no callbacks' },
  async start() {
    const dir = await mkdtemp(join(tmpdir(), 'tether-bench-'));
    const path = join(dir, 'raw.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const child = spawnChild(fileURLToPath(import.meta.url), { TETHER_BENCH_SOCKET: path });
    const socket = await accepted;
    socket.setNoDelay(true);
    const echoes: ((payload: Uint8Array) => void)[] = [];
    let streamEnded: ((bytes: number) => void) | undefined;
    let counted: ((bytes: number) => void) | undefined;
    const reader = new FrameReader((type, payload) => {
      if (type === FrameType.Echo) echoes.shift()!(payload);
      else if (type === FrameType.End) streamEnded!(reader.takeDataBytes());
      else if (type === FrameType.Count) counted!(readNumber(payload));
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    const send = frameSender(socket);
    const small = new Uint8Array(16).fill(1);
    const roundTrip = (payload: Uint8Array): Promise<Uint8Array> =>
      new Promise((resolve) => {
        echoes.push(resolve);
        send(FrameType.Echo, payload);
      });
    return {
      client: {
        call: () => roundTrip(small),
        echo: roundTrip,
        streamToHost(total, chunkSize) {
          const ended = new Promise<number>((resolve) => (streamEnded = resolve));
          send(FrameType.Produce, numberPayload(total, chunkSize));
          return ended;
        },
        async streamToChild(chunk, total) {
          const count = new Promise<number>((resolve) => (counted = resolve));
          await writeStream(socket, chunk, total);
          send(FrameType.End, NOTHING);
          return count;
        },
      },
      pin: { id: child.pid!, thread: false },
      async dispose() {
        socket.destroy();
        await stopChild(child);
        await new Promise((resolve) => server.close(resolve));
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

if (isChildOf(import.meta.url)) {
  const socket = createConnection(process.env.TETHER_BENCH_SOCKET!);
  socket.setNoDelay(true);
  const send = frameSender(socket);
  const reader = new FrameReader((type, payload) => {
    if (type === FrameType.Echo) send(FrameType.Echo, payload);
    else if (type === FrameType.End) send(FrameType.Count, numberPayload(reader.takeDataBytes()));
    else if (type === FrameType.Produce) {
      const total = readNumber(payload, 0);
      void writeStream(socket, streamPattern(readNumber(payload, 1)), total).then(() =>
        send(FrameType.End, NOTHING),
      );
    }
  });
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('close', () => process.exit(0));
}
