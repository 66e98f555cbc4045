// Contract shared by the manager tests and their fixture extension (manager-plugin.ts).
import { defineService, type Event } from '@tether/sdk';

export interface Probe {
  echo(value: unknown): unknown;
  /** Awaits `ms` (the event loop stays free: acknowledged at once). */
  sleep(ms: number): Promise<string>;
  /** Blocks the event loop for `ms` (no acknowledgement until it returns). */
  block(ms: number): string;
  /** Exits the process with `code` at once. */
  crash(code: number): void;
  pid(): number;
  /** Calls the host's storage API; resolves with its answer or the error code. */
  useStorage(key: string): Promise<string>;
  /** Fires onDidTick with `n`. */
  tick(n: number): void;
  /** Streams 1 … `to`, one every `everyMs`. */
  count(to: number, everyMs: number): Promise<AsyncIterable<number>>;
  onDidTick: Event<number>;
}

export const probe = defineService<Probe>()('probe', {
  methods: { echo: {}, sleep: {}, block: {}, crash: {}, pid: {}, useStorage: {}, tick: {}, count: {} },
  events: { onDidTick: true },
});

/** A host API the fixture asks for in its manifest's `hostApis`. */
export interface Storage {
  get(key: string): string;
}

export const storage = defineService<Storage>()('storage', { methods: { get: {} } });

export const managerHandshake = { cookieKey: 'TETHER_MANAGER_FIXTURE', cookieValue: 'manager-5c1e' };

/**
 * How a fixture extension behaves, from the `fixture` field of its package.json: `ok`, or `crash-on-start`
 * (logs a record, writes to stderr and exits 3 before serving).
 */
export type FixtureMode = 'ok' | 'crash-on-start';
