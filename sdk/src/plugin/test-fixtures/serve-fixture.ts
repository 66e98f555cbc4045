// A real plugin process for serve.process.test.ts: its whole main is serve().
import { serve } from '../serve.js';
import { implement } from '../service-binding.js';
import { greeter, handshake } from './contract.js';

await serve({
  handshake,
  services: [implement(greeter, { greet: (name) => `Hello, ${name}!` })],
  onStop: () => {
    process.stderr.write('onStop ran\n');
  },
});
