// The contract, declared once and imported by both sides. Calls go both ways:
// - host → plugin: `counter` (served by the plugin);
// - plugin → host: `counterStorage` (a service the host exposes), and an `Adder` the host passes by
//   reference with `proxy()` in each `increment` call.
import { defineService, type Event, type Remote } from '@tether/sdk';

/** Arithmetic, done in the host: the plugin gets it as an argument passed by reference. */
export interface Adder {
  add(a: number, b: number): number;
}

export interface CountChange {
  readonly key: string;
  readonly value: number;
}

/** Served by the plugin. */
export interface Counter {
  /** Adds `by` to the count of `key` with the caller's `adder`, stores it, and returns the new count. */
  increment(key: string, by: number, adder: Remote<Adder>): Promise<number>;
  /** The count of `key` (0 when never incremented). */
  get(key: string): Promise<number>;
  /** Fires after every increment. */
  readonly onDidChange: Event<CountChange>;
}

/** Served by the host: where the counts live. The plugin itself keeps no state. */
export interface CounterStorage {
  load(key: string): number;
  save(key: string, value: number): void;
}

export const counter = defineService<Counter>()('counter', {
  methods: { increment: {}, get: {} },
  events: { onDidChange: true },
});

export const counterStorage = defineService<CounterStorage>()('counter.storage', {
  methods: { load: {}, save: {} },
});

/** The app's magic cookie: not a secret, just "an app that uses Tether started you". */
export const handshake = { cookieKey: 'TETHER_SAMPLES', cookieValue: 'hello-from-the-samples' };
