// The contract: declared once, imported by both the plugin (which implements it) and the host (which calls
// it through a typed Remote<Counter>). Change the interface and both sides fail to compile until they agree.
import { defineService, type Event } from '@tether/sdk';

/** What the counter tells its subscribers after each change. */
export interface CountChange {
  readonly count: number;
  /** How much it changed by. */
  readonly by: number;
}

export interface Counter {
  /**
   * Adds `by` (a whole number, negative to count down) to the count and returns the new count. Anything
   * else throws a RangeError with code NOT_A_WHOLE_NUMBER; the caller gets it as a RemoteError with the
   * same name, code and message.
   */
  increment(by: number): number;
  /** The count now. */
  current(): number;
  /**
   * Counts up to `to`, one at a time, as a stream: the caller reads each new count as it is made (the
   * host gets `Promise<AsyncIterable<number>>`), and `onDidChange` fires for each.
   */
  countTo(to: number): AsyncIterable<number>;
  /** Fires after every change of the count. Only subscribed events cross the process boundary. */
  readonly onDidChange: Event<CountChange>;
}

/** The typed identifier both sides use: the service's name on the wire and the members it may be called by. */
export const counter = defineService<Counter>()('counter', {
  methods: { increment: {}, current: {}, countTo: {} },
  events: { onDidChange: true },
});

/**
 * The magic cookie: the host sets this variable for the plugin, and the plugin refuses to start without it
 * (so it is not started by mistake, by hand or by another app). Not a secret. It must match the `handshake`
 * of the `tether` manifest in package.json.
 */
export const handshake = { cookieKey: '{{COOKIE_KEY}}', cookieValue: '{{COOKIE_VALUE}}' };
