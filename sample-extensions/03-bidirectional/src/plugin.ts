// The plugin: a stateless counter. Each increment loads the count from the host's storage service, asks the
// host's adder (passed by reference) to do the sum, saves the result back in the host, and fires an event.
import { Emitter, implement, releaseRemote, serve } from '@tether/sdk';
import { counter, counterStorage, handshake, type CountChange } from './contract.js';

const changes = new Emitter<CountChange>();

const served = serve({
  handshake,
  services: [
    implement(counter, {
      async increment(key, by, adder) {
        try {
          const storage = (await served).host(counterStorage);
          const value = await adder.add(await storage.load(key), by);
          await storage.save(key, value);
          changes.fire({ key, value });
          return value;
        } finally {
          releaseRemote(adder); // done with the host's object: let the host drop its reference
        }
      },
      async get(key) {
        return (await served).host(counterStorage).load(key);
      },
      onDidChange: changes.event,
    }),
  ],
});
await served;
