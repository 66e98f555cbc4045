// vscode-jsonrpc 10 over fork IPC ('json' serialization, as its IPCMessageReader/Writer expect). Bytes
// travel as base64 strings, which is what a JSON-RPC user does. The callback is a request back to the host.
// Streams are pull loops (pull-stream.ts) of `next` requests, each answered with one base64 chunk or null.
import { fileURLToPath } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { forkChild, isChildOf, stopChild, streamPattern, type Approach } from '../harness.js';
import { ChunkSource, pullAll } from './pull-stream.js';

/** Serves `next` from a source that changes per stream; `current()` is read on every request. */
function serveNext(connection: MessageConnection, current: () => ChunkSource): void {
  connection.onRequest('next', () => {
    const chunk = current().next();
    return chunk === null
      ? null
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64');
  });
}

/** Pulls the other side's current stream; decodes every chunk back to bytes, as a user needs them. */
function pullFrom(connection: MessageConnection): Promise<number> {
  return pullAll(async () => {
    const text = await connection.sendRequest<string | null>('next');
    return text === null ? null : Buffer.from(text, 'base64');
  });
}

export const vscodeJsonrpc: Approach = {
  id: 'vscode-jsonrpc',
  label: 'vscode-jsonrpc 10, fork IPC',
  kind: 'peer',
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'json');
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    let source = new ChunkSource(new Uint8Array(0), 0);
    connection.onRequest('identity', (n: number) => n);
    serveNext(connection, () => source);
    connection.listen();
    return {
      client: {
        call: () => connection.sendRequest<number>('add', 1, 2),
        echo: async (data) =>
          Buffer.from(
            await connection.sendRequest<string>('echo', Buffer.from(data).toString('base64')),
            'base64',
          ),
        callback: () => connection.sendRequest<number>('callBack', 1),
        async streamToHost(total, chunkSize) {
          await connection.sendRequest('openSource', total, chunkSize);
          return pullFrom(connection);
        },
        streamToChild(chunk, total) {
          source = new ChunkSource(chunk, total);
          return connection.sendRequest<number>('pullFromHost');
        },
      },
      pin: { id: child.pid!, thread: false },
      async dispose() {
        connection.dispose();
        await stopChild(child);
      },
    };
  },
};

if (isChildOf(import.meta.url)) {
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  let source = new ChunkSource(new Uint8Array(0), 0);
  connection.onRequest('add', (a: number, b: number) => a + b);
  connection.onRequest('echo', (data: string) => Buffer.from(Buffer.from(data, 'base64')).toString('base64'));
  connection.onRequest('callBack', (n: number) => connection.sendRequest<number>('identity', n));
  connection.onRequest('openSource', (total: number, chunkSize: number) => {
    source = new ChunkSource(streamPattern(chunkSize), total);
  });
  serveNext(connection, () => source);
  connection.onRequest('pullFromHost', () => pullFrom(connection));
  connection.listen();
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
