// vscode-jsonrpc 10 over fork IPC ('json' serialization, as its IPC reader and writer expect).
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
connection.onRequest('add', (a: number, b: number) => a + b);
connection.listen();
process.on('disconnect', () => process.exit(0));
