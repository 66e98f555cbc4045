// The Tether plugin of the lifecycle bench: a whole plugin main, as an author writes it.
import { implement, serve } from '@tether/sdk';
import { calc, handshake } from './contract.js';

await serve({ handshake, services: [implement(calc, { add: (a, b) => a + b })] });
