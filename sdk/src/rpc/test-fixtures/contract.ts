// The service contracts of the RPC test fixture, imported by both the test (host) and the fixture process.
import type { Readable } from 'node:stream';
import type { Event } from '../../common/event.js';
import type { ProxyMarked } from '../proxy-marker.js';
import type { Remote } from '../remote-types.js';
import type { RpcPeerStats } from '../rpc-peer.js';
import { defineService } from '../service.js';

export interface Counter {
  increment(by: number): number;
  value(): number;
}

export interface Calculator {
  add(a: number, b: number): Promise<number>;
  echo(value: unknown): Promise<unknown>;
  fail(kind: 'custom' | 'type' | 'string' | 'cause'): Promise<never>;
  slow(ms: number, signal?: AbortSignal): Promise<string>;
  /** Like slow(), without an AbortSignal parameter: watches `currentCall().signal`. */
  slowUntilCancelled(ms: number): Promise<string>;
  /** Calls `callback` with withCallOptions({ signal }), aborts at once; answers the code the call failed with. */
  abortCallback(callback: () => Promise<unknown>): Promise<string>;
  wasAborted(): Promise<boolean>;
  callBack(callback: (n: number) => Promise<number>, times: number): Promise<number[]>;
  nested(callback: (inner: (x: number) => Promise<number>) => Promise<number>): Promise<number>;
  makeCounter(start: number): Promise<ProxyMarked<Counter>>;
  useCounter(counter: Remote<Counter>, times: number): Promise<number>;
  sum(items: AsyncIterable<Uint8Array>): Promise<{ count: number; bytes: number }>;
  produce(count: number, size: number): Promise<AsyncIterable<Uint8Array>>;
  producedSoFar(): Promise<number>;
  nodeReadable(count: number): Promise<Readable>;
  produceReadable(count: number): Promise<ReadableStream<string>>;
  writeInto(target: WritableStream<string>, count: number): Promise<void>;
  consumeReadable(stream: ReadableStream<string>): Promise<string[]>;
  brokerEcho(id: number): Promise<number>;
  comlinkCall(endpoint: string, who: string): Promise<string>;
  comlinkServe(endpoint: string): Promise<void>;
  callHost(n: number): Promise<number>;
  unsendable(): Promise<unknown>;
  note(text: string): Promise<void>;
  notes(): Promise<string[]>;
  tick(times: number): Promise<void>;
  onDidTick: Event<number>;
  exit(code: number): Promise<void>;
  stats(): Promise<RpcPeerStats>;
  gc(): Promise<void>;
}

export const calculator = defineService<Calculator>()('test.calculator', {
  methods: {
    add: {},
    echo: {},
    fail: {},
    slow: {},
    slowUntilCancelled: {},
    abortCallback: {},
    wasAborted: {},
    callBack: {},
    nested: {},
    makeCounter: {},
    useCounter: {},
    sum: {},
    produce: {},
    producedSoFar: {},
    nodeReadable: {},
    produceReadable: {},
    writeInto: {},
    consumeReadable: {},
    brokerEcho: {},
    comlinkCall: {},
    comlinkServe: {},
    callHost: {},
    unsendable: {},
    note: { notification: true },
    notes: {},
    tick: {},
    exit: {},
    stats: {},
    gc: {},
  },
  events: { onDidTick: true },
});

/** A service the host exposes to the plugin (callbacks in the other direction). */
export interface HostApi {
  double(n: number): Promise<number>;
}

export const hostApi = defineService<HostApi>()('test.host', { methods: { double: {} } });
