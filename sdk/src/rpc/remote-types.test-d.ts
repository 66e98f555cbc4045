// Type tests: what Remote<T> lets a caller write, and what it refuses.
import { describe, expectTypeOf, it } from 'vitest';
import type { Event } from '../common/event.js';
import type { Disposable } from '../common/disposable.js';
import { proxy, type ProxyMarked } from './proxy-marker.js';
import type { Remote } from './remote-types.js';
import { defineService } from './service.js';

interface Counter {
  increment(by: number): number;
}

interface Api {
  greet(name: string): Promise<string>;
  count(): number;
  watch(onChange: (value: number) => Promise<void>): Promise<void>;
  counter(): Promise<ProxyMarked<Counter>>;
  maybe(callback?: (x: number) => void): Promise<void>;
  useCounter(counter: Remote<Counter>): Promise<void>;
  onDidChange: Event<{ key: string }>;
}

declare const api: Remote<Api>;

describe('Remote<T>', () => {
  it('makes every method return a promise', () => {
    expectTypeOf(api.greet).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(api.count).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(api.greet).parameters.toEqualTypeOf<[name: string]>();
  });

  it('requires the proxy() marker for callbacks, which may be synchronous', () => {
    void api.watch(proxy((value: number) => void value));
    void api.watch(proxy(async (_value: number) => {}));
    // @ts-expect-error a bare function must be marked with proxy()
    void api.watch((value: number) => void value);
    void api.maybe(undefined);
    void api.maybe(proxy((x: number) => void x));
  });

  it('turns references in results into remotes', async () => {
    const counter = await api.counter();
    expectTypeOf(counter.increment).returns.toEqualTypeOf<Promise<number>>();
  });

  it('takes a proxy() of a local object where the contract asks for a Remote', async () => {
    void api.useCounter(proxy({ increment: (by: number) => by }));
    void api.useCounter(await api.counter());
    // @ts-expect-error an unmarked object is copied, not passed by reference
    void api.useCounter({ increment: (by: number) => by });
  });

  it('keeps events as subscribable Events', () => {
    expectTypeOf(api.onDidChange).toEqualTypeOf<Event<{ key: string }>>();
    expectTypeOf(api.onDidChange(() => {})).toEqualTypeOf<Disposable>();
  });

  it('has no members the contract does not declare', () => {
    // @ts-expect-error not declared
    void api.toString2;
  });
});

describe('defineService', () => {
  it('requires exactly the methods and events of the interface', () => {
    defineService<Api>()('api', {
      methods: { greet: {}, count: {}, watch: {}, counter: {}, maybe: {}, useCounter: {} },
      events: { onDidChange: true },
    });
    defineService<Api>()('api', {
      // @ts-expect-error a method (maybe) is missing
      methods: { greet: {}, count: {}, watch: {}, counter: {}, useCounter: {} },
      events: { onDidChange: true },
    });
    defineService<Api>()('api', {
      // @ts-expect-error an extra method
      methods: { greet: {}, count: {}, watch: {}, counter: {}, maybe: {}, useCounter: {}, extra: {} },
      events: { onDidChange: true },
    });
    // @ts-expect-error the event is missing
    defineService<Api>()('api', {
      methods: { greet: {}, count: {}, watch: {}, counter: {}, maybe: {}, useCounter: {} },
    });
  });
});
