// Contract and cookie shared by the client tests and the fixture plugin.
import { defineService, type Event, type ProxyMarked } from '@tether/sdk';

export interface Fixture {
  add(a: number, b: number): number;
  crash(code: number): void;
  hang(): void;
  /** Blocks the event loop for `ms` (a busy loop), then returns `ms`. */
  block(ms: number): number;
  sleep(ms: number): Promise<string>;
  grandchild(): number;
  callHost(n: number): Promise<number>;
}

export const fixture = defineService<Fixture>()('fixture', {
  methods: { add: {}, crash: {}, hang: {}, block: {}, sleep: {}, grandchild: {}, callHost: {} },
});

export interface HostHelper {
  triple(n: number): number;
}

export const hostHelper = defineService<HostHelper>()('fixture.host', { methods: { triple: {} } });

export const fixtureHandshake = { cookieKey: 'TETHER_FIXTURE_COOKIE', cookieValue: 'fixture-7f3a' };

/** Message limit both sides of the oversized-value tests agree on (small, so the tests stay fast). */
export const OVERSIZE_LIMIT = 1024 * 1024;

/** Values over the message limit, in both directions (issue 10, point 1). */
export interface Oversize {
  take(bytes: Uint8Array): number;
  make(size: number): Uint8Array;
  /** Calls the host's `make(size)`; resolves with the error code it got, or 'ok'. */
  hostMake(size: number): Promise<string>;
  /** Calls the host's `take` with `size` bytes; resolves with the error code it got, or 'ok'. */
  hostTake(size: number): Promise<string>;
  /** Sends the host a notification of `size` bytes; resolves with the error code it got, or 'ok'. */
  hostNote(size: number): Promise<string>;
  /** Calls `callback(size)`; resolves with the error code it got, or 'got N'. */
  callBack(callback: ProxyMarked<(size: number) => Uint8Array>, size: number): Promise<string>;
  /** Fires onDidSend with `size` bytes; resolves with the code of the failure the plugin saw, or 'ok'. */
  emit(size: number): Promise<string>;
  items(sizes: number[]): AsyncIterable<Uint8Array>;
  onDidSend: Event<Uint8Array>;
}

export const oversize = defineService<Oversize>()('fixture.oversize', {
  methods: {
    take: {},
    make: {},
    hostMake: {},
    hostTake: {},
    hostNote: {},
    callBack: {},
    emit: {},
    items: {},
  },
  events: { onDidSend: true },
});

export interface HostSizes {
  make(size: number): Uint8Array;
  take(bytes: Uint8Array): number;
  note(bytes: Uint8Array): void;
}

export const hostSizes = defineService<HostSizes>()('fixture.host-sizes', {
  methods: { make: {}, take: {}, note: { notification: true } },
});
