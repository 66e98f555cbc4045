// The raw floor: length-prefixed frames over a Unix socket with `node:net` only, writes corked per tick.
// The child echoes every frame. No RPC layer, so no callback.
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isChildOf, spawnChild, stopChild, type Approach } from '../harness.js';

/** Sends frames (4-byte big-endian length + payload) and hands every received frame to `onFrame`. */
function framed(socket: Socket, onFrame: (payload: Buffer) => void): (payload: Uint8Array) => void {
  let buffered: Buffer[] = [];
  let bytes = 0;
  socket.on('data', (chunk: Buffer) => {
    buffered.push(chunk);
    bytes += chunk.byteLength;
    for (;;) {
      if (bytes < 4) return;
      let head = buffered[0]!;
      if (head.byteLength < 4) head = buffered[0] = Buffer.concat(buffered.splice(0, buffered.length));
      const length = head.readUInt32BE(0);
      if (bytes < 4 + length) return;
      const all = buffered.length === 1 ? head : Buffer.concat(buffered);
      onFrame(all.subarray(4, 4 + length));
      const rest = all.subarray(4 + length);
      buffered = rest.byteLength > 0 ? [rest] : [];
      bytes = rest.byteLength;
    }
  });
  let corked = false;
  return (payload) => {
    if (!corked) {
      corked = true;
      socket.cork();
      queueMicrotask(() => {
        corked = false;
        socket.uncork();
      });
    }
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32BE(payload.byteLength, 0);
    socket.write(header);
    socket.write(payload);
  };
}

export const rawUnix: Approach = {
  id: 'raw-unix',
  label: 'raw Unix socket, length-prefixed (floor)',
  kind: 'floor',
  callbackUnsupported: 'no RPC layer: a byte ping-pong has no callbacks',
  async start() {
    const dir = await mkdtemp(join(tmpdir(), 'tether-bench-'));
    const path = join(dir, 'raw.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const child = spawnChild(fileURLToPath(import.meta.url), { TETHER_BENCH_SOCKET: path });
    const socket = await accepted;
    socket.setNoDelay(true);
    const waiting: ((payload: Buffer) => void)[] = [];
    const send = framed(socket, (payload) => waiting.shift()!(payload));
    const small = new Uint8Array(16).fill(1);
    const roundTrip = (payload: Uint8Array): Promise<Buffer> =>
      new Promise((resolve) => {
        waiting.push(resolve);
        send(payload);
      });
    return {
      client: { call: () => roundTrip(small), echo: roundTrip },
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
  const send = framed(socket, (payload) => send(payload));
  socket.on('close', () => process.exit(0));
}
