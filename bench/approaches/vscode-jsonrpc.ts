// vscode-jsonrpc 10 over fork IPC ('json' serialization, as its IPCMessageReader/Writer expect). Bytes
// travel as base64 strings, which is what a JSON-RPC user does. The callback is a request back to the host.
import { fileURLToPath } from 'node:url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { forkChild, isChildOf, stopChild, type Approach } from '../harness.js';

export const vscodeJsonrpc: Approach = {
  id: 'vscode-jsonrpc',
  label: 'vscode-jsonrpc 10, fork IPC',
  kind: 'peer',
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'json');
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onRequest('identity', (n: number) => n);
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
  connection.onRequest('add', (a: number, b: number) => a + b);
  connection.onRequest('echo', (data: string) => Buffer.from(Buffer.from(data, 'base64')).toString('base64'));
  connection.onRequest('callBack', (n: number) => connection.sendRequest<number>('identity', n));
  connection.listen();
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
