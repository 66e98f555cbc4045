// A real plugin process for plugin-logging.process.test.ts; argv[2] picks what it does after serving.
import { serve } from '../../plugin/serve.js';
import { implement } from '../../plugin/service-binding.js';
import { greeter, handshake } from '../../plugin/test-fixtures/contract.js';
import { log } from '../logger.js';

const handle = await serve({
  handshake,
  services: [implement(greeter, { greet: (name) => `Hello, ${name}!` })],
  onStop: () => log.info('stopping'),
});
const mode = process.argv[2];
log.scope('fixture').info('served', { version: handle.version });
console.log('from console %d', 7);
if (mode === 'throw') {
  setTimeout(() => {
    throw new Error('fixture exploded');
  }, 10);
} else if (mode === 'reject') {
  setTimeout(() => void Promise.reject(new TypeError('fixture rejected')), 10);
}
