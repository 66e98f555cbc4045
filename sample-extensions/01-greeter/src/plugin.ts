// The plugin: its whole main is serve().
import { implement, serve } from '@tether/sdk';
import { greeter, handshake } from './contract.js';

await serve({
  handshake,
  services: [implement(greeter, { greet: (name) => `Hello, ${name}!` })],
});
