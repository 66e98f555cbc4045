// The fixture plugin of the `tether run --call` tests of issue 15 (call-fixture-extension.ts writes its
// extension folder). Its one service, `fixture`:
//   types(...values)     the type of each argument and the arguments themselves (Map, Set, Date, bytes, BigInt)
//   count(n, gate?)      a stream of n items {i, at}; with `gate` (a file), waits after the first item until
//                        that file exists, so a test sees the first item printed while the stream is open
//   countThenFail(n)     n items, then the stream fails with QuotaError
//   fail()               rejects with QuotaError: a name, a code and a field of its own
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { defineService, implement, serve } from '@tether/sdk';
import { callFixtureHandshake } from './call-fixture-extension.js';

interface Item {
  readonly i: number;
  readonly at: Date;
}

interface Fixture {
  types(...values: unknown[]): { types: string[]; values: unknown[] };
  count(n: number, gate?: string): AsyncIterable<Item>;
  countThenFail(n: number): AsyncIterable<Item>;
  fail(): void;
}

const fixture = defineService<Fixture>()('fixture', {
  methods: { types: {}, count: {}, countThenFail: {}, fail: {} },
});

class QuotaError extends Error {
  override name = 'QuotaError';
  readonly code = 'QUOTA_EXCEEDED';
  readonly limit = 10n;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Object.prototype.toString.call(value).slice(8, -1);
}

async function* count(n: number, gate?: string): AsyncGenerator<Item> {
  for (let i = 1; i <= n; i++) {
    yield { i, at: new Date(Date.UTC(2024, 4, i)) };
    // Polled here, in the plugin: the test creates the file once it has seen the first item.
    while (i === 1 && gate !== undefined && !existsSync(gate)) await delay(20);
  }
}

await serve({
  handshake: callFixtureHandshake,
  services: [
    implement(fixture, {
      types: (...values) => ({ types: values.map(typeOf), values }),
      count: (n, gate) => count(n, gate),
      async *countThenFail(n) {
        yield* count(n);
        throw new QuotaError(`no more than ${n} items`);
      },
      fail() {
        throw new QuotaError('the quota of 10 is used up; wait for tomorrow');
      },
    }),
  ],
});
