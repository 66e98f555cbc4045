// comlink 4.4.2 over fork IPC (`serialization: 'advanced'`) through comlink's node adapter.
import * as Comlink from 'comlink';
import type { Calc } from './contract.js';
import { forkEndpoint } from './fork-endpoint.js';

const api: Calc = { add: (a, b) => a + b };
Comlink.expose(api, forkEndpoint(process));
process.on('disconnect', () => process.exit(0));
