import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isTetherError } from '../errors/tether-error.js';
import { waitFor } from '../test-support/wait-for.js';
import type { TransportCloseEvent } from './transport.js';
import { MessagePortTransport, type MessagePortLike } from './message-port-transport.js';

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** Waits for `condition`, quoting it if it never holds (see waitFor). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor(condition, { what: String(condition), intervalMs: 1 });
}

/** One full event-loop iteration, poll phase included, whatever phase the caller is in. */
async function fullTurn(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

function record(transport: MessagePortTransport): { messages: Uint8Array[]; closes: TransportCloseEvent[] } {
  const messages: Uint8Array[] = [];
  const closes: TransportCloseEvent[] = [];
  transport.onDidReceive((message) => messages.push(message));
  transport.onDidClose((event) => closes.push(event));
  return { messages, closes };
}

function channelPair(): [MessagePortTransport, MessagePortTransport, MessageChannel] {
  const channel = new MessageChannel();
  return [new MessagePortTransport(channel.port1), new MessagePortTransport(channel.port2), channel];
}

const sizes = [1, 10, 1000, 65_536, 1024 * 1024, 8 * 1024 * 1024];

describe('MessagePortTransport over a worker_threads MessageChannel', () => {
  it('delivers 1 byte to 8 MiB intact and in order, one message per write, both ways', async () => {
    const [a, b] = channelPair();
    const atA = record(a);
    const atB = record(b);
    const expected: Uint8Array[] = [];
    let seed = 0;
    for (const size of sizes) {
      const head = pattern(10, seed++);
      const body = pattern(size, seed++);
      expect(a.write([head, body])).toBe(true);
      expected.push(Buffer.concat([head, body]));
      const slab = pattern(size + 64, seed++);
      a.write([slab.subarray(32, 32 + size)]); // a view into a larger buffer
      expected.push(slab.slice(32, 32 + size));
    }
    b.write([pattern(3, 1)]);
    await until(() => atB.messages.length === expected.length && atA.messages.length === 1);
    atB.messages.forEach((message, i) => {
      expect(Buffer.compare(message, expected[i]!)).toBe(0);
      expect(message.buffer.byteLength).toBe(message.byteLength); // only the bytes travelled
    });
    expect(atA.messages[0]).toEqual(pattern(3, 1));
    a.dispose();
    b.dispose();
  });

  it('close delivers what was posted, then fires onDidClose once on both sides without an error', async () => {
    const [a, b, channel] = channelPair();
    const atA = record(a);
    const atB = record(b);
    // A port's 'close' is its last event: once both have fired, no message or second close can follow.
    const portsClosed = Promise.all(
      [channel.port1, channel.port2].map((port) => new Promise((resolve) => port.once('close', resolve))),
    );
    a.write([pattern(1024 * 1024, 5)]);
    a.write([pattern(7, 6)]);
    a.close();
    expect(a.closed).toBe(true);
    a.close();
    await until(() => atA.closes.length > 0 && atB.closes.length > 0);
    await portsClosed;
    expect(atB.messages.map((m) => m.byteLength)).toEqual([1024 * 1024, 7]);
    expect(atA.closes).toEqual([{}]);
    expect(atB.closes).toEqual([{}]);
    for (const port of [channel.port1, channel.port2]) {
      expect(['message', 'close', 'messageerror'].map((e) => port.listenerCount(e))).toEqual([0, 0, 0]);
    }
  });

  it('write after close returns false and does not throw; dispose is idempotent', async () => {
    const [a, b] = channelPair();
    const atB = record(b);
    a.dispose();
    a.dispose();
    expect(a.write([new Uint8Array(1)])).toBe(false);
    await until(() => atB.closes.length > 0);
    expect(b.write([new Uint8Array(1)])).toBe(false);
    b.dispose();
    expect(atB.closes).toEqual([{}]);
  });

  it('receives only once a listener subscribes, so early messages are not lost', async () => {
    const [a, b] = channelPair();
    a.write([pattern(5, 9)]);
    // A started port dispatches a posted message in the next poll phase: after a full turn it would be gone.
    await fullTurn();
    const atB = record(b);
    await until(() => atB.messages.length === 1);
    expect(atB.messages[0]).toEqual(pattern(5, 9));
    a.dispose();
    b.dispose();
  });

  it('closes when the thread at the other end exits', async () => {
    const channel = new MessageChannel();
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       workerData.port.on('message', (m) => { workerData.port.postMessage(m); if (m.byteLength === 1) process.exit(0); });`,
      { eval: true, workerData: { port: channel.port2 }, transferList: [channel.port2] },
    );
    const transport = new MessagePortTransport(channel.port1);
    const seen = record(transport);
    transport.write([pattern(300_000, 1)]);
    await until(() => seen.messages.length === 1);
    expect(seen.messages[0]).toEqual(pattern(300_000, 1));
    transport.write([new Uint8Array(1)]);
    await until(() => seen.closes.length > 0);
    expect(seen.closes).toEqual([{}]);
    await worker.terminate();
  });
});

/** Shaped like Electron's `MessagePortMain` / `process.parentPort`: an EventEmitter whose listeners get `{ data, ports }`. */
class EventShapedPort extends EventEmitter {
  peer: EventShapedPort | undefined;
  started = false;
  postMessage(message: unknown): void {
    const peer = this.peer;
    setImmediate(() => peer?.emit('message', { data: structuredClone(message), ports: [] }));
  }
  start(): void {
    this.started = true;
  }
}

describe('MessagePortTransport over an Electron-shaped port', () => {
  it('unwraps { data, ports } events, calls start(), does not transfer', async () => {
    const a = new EventShapedPort();
    const b = new EventShapedPort();
    a.peer = b;
    b.peer = a;
    const ta = new MessagePortTransport(a);
    const tb = new MessagePortTransport(b);
    const atB = record(tb);
    expect(b.started).toBe(true);
    ta.write([pattern(10, 1), pattern(5000, 2)]);
    await until(() => atB.messages.length === 1);
    expect(atB.messages[0]).toEqual(new Uint8Array(Buffer.concat([pattern(10, 1), pattern(5000, 2)])));
    ta.dispose();
    tb.dispose();
    expect(b.listenerCount('message') + b.listenerCount('close')).toBe(0);
  });

  it('closes with TRANSPORT_ERROR on a message that is not bytes', async () => {
    const a = new EventShapedPort();
    const b = new EventShapedPort();
    a.peer = b;
    const tb = new MessagePortTransport(b);
    const atB = record(tb);
    a.postMessage({ hello: 'world' });
    await until(() => atB.closes.length > 0);
    expect(isTetherError(atB.closes[0]!.error, 'TRANSPORT_ERROR')).toBe(true);
    expect(tb.closed).toBe(true);
  });

  it('accepts the port types of Node and Electron (structurally)', () => {
    // Copied from electron.d.ts (Electron 33): MessagePortMain and ParentPort.
    interface ElectronMessageEvent {
      data: unknown;
      ports: ElectronMessagePortMain[];
    }
    interface ElectronMessagePortMain extends NodeJS.EventEmitter {
      on(event: 'close', listener: () => void): this;
      on(event: 'message', listener: (messageEvent: ElectronMessageEvent) => void): this;
      removeListener(event: 'close', listener: () => void): this;
      removeListener(event: 'message', listener: (messageEvent: ElectronMessageEvent) => void): this;
      close(): void;
      postMessage(message: unknown, transfer?: ElectronMessagePortMain[]): void;
      start(): void;
    }
    interface ElectronParentPort extends NodeJS.EventEmitter {
      on(event: 'message', listener: (messageEvent: ElectronMessageEvent) => void): this;
      removeListener(event: 'message', listener: (messageEvent: ElectronMessageEvent) => void): this;
      postMessage(message: unknown): void;
    }
    expectTypeOf<ElectronMessagePortMain>().toExtend<MessagePortLike>();
    expectTypeOf<ElectronParentPort>().toExtend<MessagePortLike>();
    expectTypeOf<MessageChannel['port1']>().toExtend<MessagePortLike>();
  });
});
