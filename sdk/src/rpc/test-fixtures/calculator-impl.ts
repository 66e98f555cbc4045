// The implementation the RPC fixture plugin serves; also used in-process by unit tests.
import { setTimeout as sleep } from 'node:timers/promises';
import * as Comlink from 'comlink';
import { Readable } from 'node:stream';
import { Emitter } from '../../common/event.js';
import { TetherError } from '../../errors/tether-error.js';
import { currentCall } from '../call-context.js';
import { proxy } from '../proxy-marker.js';
import { withCallOptions } from '../remote-factory.js';
import type { RpcPeer } from '../rpc-peer.js';
import { calculator, hostApi, type Calculator, type Counter } from './contract.js';

class CounterImpl implements Counter {
  #count: number;
  constructor(start: number) {
    this.#count = start;
  }
  increment(by: number): number {
    this.#count += by;
    return this.#count;
  }
  value(): number {
    return this.#count;
  }
}

class CustomError extends Error {
  override name = 'CustomError';
  readonly code = 'E_CUSTOM';
  readonly status = 418;
  readonly details = { path: '/tmp/x', retry: true };
}

export function createCalculator(peer: RpcPeer): Calculator {
  const ticks = new Emitter<number>();
  const notes: string[] = [];
  let aborted = false;
  let produced = 0;
  return {
    add: (a, b) => Promise.resolve(a + b),
    echo: (value) => Promise.resolve(value),
    fail(kind) {
      if (kind === 'type') return Promise.reject(new TypeError('expected a number'));
      if (kind === 'string') return Promise.reject(new Error('plain failure'));
      if (kind === 'cause') {
        const root = new TetherError('TIMEOUT', 'database did not answer');
        return Promise.reject(
          new Error('could not load the user', { cause: new Error('query failed', { cause: root }) }),
        );
      }
      return Promise.reject(new CustomError('the teapot is busy'));
    },
    async slow(ms, signal) {
      aborted = false;
      try {
        await sleep(ms, undefined, signal === undefined ? {} : { signal });
        return 'finished';
      } catch (error) {
        aborted = signal?.aborted === true;
        throw error;
      }
    },
    async slowUntilCancelled(ms) {
      const { signal } = currentCall();
      aborted = false;
      try {
        await sleep(ms, undefined, { signal });
        return 'finished';
      } catch (error) {
        aborted = signal.aborted;
        throw error;
      }
    },
    async abortCallback(callback) {
      const controller = new AbortController();
      const call = withCallOptions(callback, { signal: controller.signal })();
      controller.abort();
      try {
        await call;
        return 'answered';
      } catch (error) {
        return String((error as { code?: unknown }).code);
      }
    },
    wasAborted: () => Promise.resolve(aborted),
    async callBack(callback, times) {
      const results: number[] = [];
      for (let i = 0; i < times; i++) results.push(await callback(i));
      return results;
    },
    nested: (callback) => callback(proxy((x: number) => Promise.resolve(x * 10))),
    makeCounter: (start) => Promise.resolve(proxy(new CounterImpl(start))),
    async useCounter(counter, times) {
      let last = 0;
      for (let i = 0; i < times; i++) last = await counter.increment(1);
      return last;
    },
    async sum(items) {
      let count = 0;
      let bytes = 0;
      for await (const item of items) {
        count += 1;
        bytes += item.byteLength;
        if (count % 64 === 0) await sleep(1);
      }
      return { count, bytes };
    },
    produce(count, size) {
      produced = 0;
      async function* generate(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < count; i++) {
          produced += 1;
          yield await Promise.resolve(new Uint8Array(size).fill(i % 251));
        }
      }
      return Promise.resolve(generate());
    },
    producedSoFar: () => Promise.resolve(produced),
    nodeReadable: (count) =>
      Promise.resolve(
        Readable.from(
          Array.from({ length: count }, (_, i) => Buffer.from(`chunk ${i};`)),
          { objectMode: false },
        ),
      ),
    produceReadable(count) {
      let i = 0;
      return Promise.resolve(
        new ReadableStream<string>({
          pull(controller) {
            if (i >= count) controller.close();
            else controller.enqueue(`line ${i++}`);
          },
        }),
      );
    },
    async writeInto(target, count) {
      const writer = target.getWriter();
      for (let i = 0; i < count; i++) await writer.write(`item ${i}`);
      await writer.close();
    },
    async consumeReadable(stream) {
      const items: string[] = [];
      for await (const item of stream as unknown as AsyncIterable<string>) items.push(item);
      return items;
    },
    async brokerEcho(id) {
      const duplex = await peer.broker.accept(id);
      let bytes = 0;
      duplex.on('data', (chunk: Uint8Array) => (bytes += chunk.byteLength));
      duplex.pipe(duplex);
      await new Promise((resolve, reject) => duplex.on('finish', resolve).on('error', reject));
      return bytes;
    },
    async comlinkCall(endpoint, who) {
      const remote = Comlink.wrap<{ greet(name: string): string }>(
        (await peer.acceptComlinkEndpoint(endpoint)) as unknown as Comlink.Endpoint,
      );
      return remote.greet(who);
    },
    async comlinkServe(endpoint) {
      const api = {
        shout: (text: string) => text.toUpperCase(),
        stats: (xs: Map<string, number>) => [...xs.values()].reduce((a, b) => a + b, 0),
      };
      Comlink.expose(api, (await peer.acceptComlinkEndpoint(endpoint)) as unknown as Comlink.Endpoint);
    },
    callHost: (n) => peer.remote(hostApi).double(n),
    unsendable: () => Promise.resolve({ handler: () => 1 }),
    note(text) {
      notes.push(text);
      return Promise.resolve();
    },
    notes: () => Promise.resolve(notes),
    async tick(times) {
      for (let i = 1; i <= times; i++) ticks.fire(i);
      await sleep(1);
    },
    onDidTick: ticks.event,
    exit(code) {
      setImmediate(() => process.exit(code));
      return new Promise(() => undefined);
    },
    stats: () => Promise.resolve(peer.stats()),
    gc() {
      (globalThis as { gc?: () => void }).gc?.();
      return Promise.resolve();
    },
  };
}

export function exposeCalculator(peer: RpcPeer): void {
  peer.expose(calculator, createCalculator(peer));
}
