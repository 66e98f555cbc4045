// The plugin: its own process, started by a host (src/host.ts, `tether run`, an app). Its whole main is
// serve(): the handshake over the host's connection, then the counter, until the host stops it. Run by hand,
// it says that an app starts it, and exits.
import { implement, log, serve } from '@tether/sdk';
import { counter, handshake } from './contract.js';
import { createCounter } from './counter.js';

await serve({ handshake, services: [implement(counter, createCounter())] });
log.info('serving', { service: counter.name });
