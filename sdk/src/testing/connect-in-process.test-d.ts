// Type tests: what connectInProcess() accepts and what the test gets back.
import { defineService, implement, type Remote, type ServeHandle } from '@tether/sdk';
import { connectInProcess, type InProcessPlugin, type InProcessPluginContext } from '@tether/sdk/testing';
import { describe, expectTypeOf, it } from 'vitest';

interface Greeter {
  greet(name: string): string;
  count(): AsyncIterable<number>;
}
const greeter = defineService<Greeter>()('greeter', { methods: { greet: {}, count: {} } });
interface Settings {
  title(): string;
}
const settings = defineService<Settings>()('settings', { methods: { title: {} } });

async function* none(): AsyncGenerator<number> {}

describe('connectInProcess', () => {
  it('returns a typed Remote of the service', async () => {
    const plugin = await connectInProcess(greeter, { greet: (name) => name, count: none });
    expectTypeOf(plugin).toEqualTypeOf<InProcessPlugin<Greeter>>();
    expectTypeOf(plugin.remote).toEqualTypeOf<Remote<Greeter>>();
    expectTypeOf(plugin.remote.greet).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(plugin.remote.count).returns.toEqualTypeOf<Promise<AsyncIterable<number>>>();
    expectTypeOf(plugin.dispense(settings)).toEqualTypeOf<Remote<Settings>>();
  });

  it('checks the implementation against the contract, in both forms', () => {
    // @ts-expect-error count() is missing
    void connectInProcess(greeter, { greet: (name: string) => name });
    // @ts-expect-error greet() returns a string
    void connectInProcess(greeter, { greet: (name: string) => name.length, count: none });
    void connectInProcess(greeter, ({ host, log }) => {
      expectTypeOf(host(settings).title).returns.toEqualTypeOf<Promise<string>>();
      log.info('made');
      return { greet: (name) => name, count: none };
    });
    // @ts-expect-error the factory must make a Greeter
    void connectInProcess(greeter, () => ({ greet: (name: string) => name }));
    void connectInProcess(
      greeter,
      async () => Promise.resolve({ greet: (name: string) => name, count: none }),
      {
        hostServices: [implement(settings, { title: () => 'Dr' })],
      },
    );
  });

  it('gives a factory what serve()’s handle gives a plugin', () => {
    expectTypeOf<InProcessPluginContext>().toExtend<Pick<ServeHandle, 'host' | 'log'>>();
  });
});
