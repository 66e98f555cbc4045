// The plugin: its whole main is serve().
import { implement, log, serve } from '@tether/sdk';
import { greeter, handshake } from './contract.js';

await serve({
  handshake,
  services: [
    implement(greeter, {
      greet(name) {
        // A structured log record: it reaches the host's log store and file, not this process's stdout.
        log.info('greeting', { name });
        return `Hello, ${name}!`;
      },
    }),
  ],
});
