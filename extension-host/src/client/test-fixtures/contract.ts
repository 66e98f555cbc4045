// Contract and cookie shared by the client tests and the fixture plugin.
import { defineService } from '@tether/sdk';

export interface Fixture {
  add(a: number, b: number): number;
  crash(code: number): void;
  hang(): void;
  sleep(ms: number): Promise<string>;
  grandchild(): number;
  callHost(n: number): Promise<number>;
}

export const fixture = defineService<Fixture>()('fixture', {
  methods: { add: {}, crash: {}, hang: {}, sleep: {}, grandchild: {}, callHost: {} },
});

export interface HostHelper {
  triple(n: number): number;
}

export const hostHelper = defineService<HostHelper>()('fixture.host', { methods: { triple: {} } });

export const fixtureHandshake = { cookieKey: 'TETHER_FIXTURE_COOKIE', cookieValue: 'fixture-7f3a' };
