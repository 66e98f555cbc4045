// The raw floor: `node` runs a bundled file of a few lines that connects to the host's Unix socket and
// echoes one length-prefixed ping. Listening, spawning, connecting and one round trip are all timed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildBundles } from '../bundle-children.js';
import { childEnv, terminate, untilAnswered } from '../child-process-util.js';
import { RAW_SOCKET_ENV } from '../children/raw-socket-env.js';
import type { LifecycleApproach } from '../lifecycle-approach.js';

let sockets = 0;

/** Sends one 16-byte frame and resolves when the whole echo (4 + 16 bytes) is back. */
function ping(socket: Socket): Promise<void> {
  const frame = Buffer.alloc(20, 1);
  frame.writeUInt32BE(16, 0);
  return new Promise((resolve) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.byteLength;
      if (received < frame.byteLength) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
    socket.write(frame);
  });
}

export const rawUnix: LifecycleApproach = {
  id: 'raw-unix',
  label: 'raw Unix socket, length-prefixed ping (floor)',
  kind: 'floor',
  stopHow: 'SIGTERM → exit',
  async start(bundles: ChildBundles) {
    const began = performance.now();
    const phases: Record<string, number> = {};
    const mark = (phase: string): void => {
      phases[phase] = performance.now() - began;
    };
    // The bundle directory is private to this run (mkdtemp, 0700), like Tether's socket directories.
    const path = join(bundles.dir, `raw-${++sockets}.sock`);
    const server = createServer();
    server.listen(path);
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const child = spawn(process.execPath, [bundles.files['raw-unix-child']], {
      env: childEnv({ [RAW_SOCKET_ENV]: path }),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    mark('spawned');
    try {
      const [socket] = await untilAnswered(child, 'raw Unix child', accepted);
      mark('connected');
      socket.setNoDelay(true);
      await untilAnswered(child, 'raw Unix child', ping(socket));
      mark('firstCall');
      return {
        pid: child.pid!,
        startMs: phases.firstCall!,
        phases,
        async stop() {
          await terminate(child);
          socket.destroy();
        },
      };
    } finally {
      // One plugin, one connection (as Tether): stop listening, which also removes the socket file.
      server.close();
    }
  },
};
