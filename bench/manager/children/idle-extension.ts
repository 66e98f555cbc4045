// The extension of the manager bench: a whole plugin main as an author writes it, serving one service and
// otherwise idle. Bundled into one minified CommonJS file, as a plugin should ship (docs/performance.md).
import { implement, serve } from '@tether/sdk';
import { idleService, managerBenchHandshake } from './contract.js';

// Not awaited: a CommonJS bundle has no top-level await; serve() reports and exits by itself on failure.
void serve({ handshake: managerBenchHandshake, services: [implement(idleService, { ping: () => 'pong' })] });
