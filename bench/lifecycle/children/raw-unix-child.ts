// The raw floor's child: connects to the host's Unix socket and echoes every length-prefixed frame
// (4-byte big-endian length + payload). No library: the least a socket-connected plugin can do.
import { createConnection } from 'node:net';
import { RAW_SOCKET_ENV } from './raw-socket-env.js';

const socket = createConnection(process.env[RAW_SOCKET_ENV]!);
let pending: Buffer = Buffer.alloc(0);
socket.on('data', (chunk: Buffer) => {
  pending = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.byteLength >= 4 && pending.byteLength >= 4 + pending.readUInt32BE(0)) {
    const end = 4 + pending.readUInt32BE(0);
    socket.write(pending.subarray(0, end));
    pending = pending.subarray(end);
  }
});
socket.on('close', () => process.exit(0));
