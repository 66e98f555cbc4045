// The plugin: a stateless counter. Each increment loads the count from the host's storage service, asks the
// host's adder (passed by reference) to do the sum, saves the result back in the host, and fires an event.
import { Emitter, implement, releaseRemote, serve } from '@tether/sdk';
import { counter, counterStorage, handshake, type CountChange } from './contract.js';

const changes = new Emitter<CountChange>();

/** Adds `by` to the count of `key` kept in the host's storage (needs the `counter.storage` host API). */
async function countInHost(key: string, by: number, add: (a: number, b: number) => number | Promise<number>) {
  const storage = (await served).host(counterStorage);
  const value = await add(await storage.load(key), by);
  await storage.save(key, value);
  changes.fire({ key, value });
  return value;
}

const served = serve({
  handshake,
  services: [
    implement(counter, {
      async increment(key, by, adder) {
        try {
          return await countInHost(key, by, (a, b) => adder.add(a, b));
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
  // For the app's command palette: the same count, summed here (the host must have granted its storage).
  commands: {
    'counter.increment': (key: unknown = 'clicks', by: unknown = 1) =>
      countInHost(String(key), Number(by), (a, b) => a + b),
  },
});
await served;
