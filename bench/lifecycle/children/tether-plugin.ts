// The Tether plugin of the lifecycle bench: a whole plugin main, as an author writes it.
import { implement, serve } from '@tether/sdk';
import { calc, handshake } from './contract.js';

// Not awaited: the plugin ships as a CommonJS bundle (no top-level await there); serve() reports and exits
// by itself on failure.
void serve({ handshake, services: [implement(calc, { add: (a, b) => a + b })] });
