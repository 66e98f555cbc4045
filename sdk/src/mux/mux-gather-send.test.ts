// send() of an array of parts: one message, the parts' concatenation, whatever the frame size, the credit
// and the part sizes; large parts reach the transport uncopied.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_INITIAL_WINDOW } from '../constants.js';
import { firstDifference } from '../test-support/same-bytes.js';
import type { MuxSession } from './mux-session.js';
import { createSessionPair, until } from './test-fixtures/mux-harness.js';

let sessions: MuxSession[] = [];
afterEach(() => {
  for (const s of sessions) s.dispose();
  sessions = [];
});

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

describe('send(parts)', () => {
  it('property: each array of parts arrives as one message equal to their concatenation, in order', async () => {
    const part = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.integer({ min: 0, max: 20_000 }).map((n) => new Uint8Array(n).map((_, i) => (i * 31) & 0xff)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(part, { maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(1024, 4096, 16 * 1024),
        async (messages, maxFrameSize) => {
          const { host, plugin } = createSessionPair({
            channelWindow: PROTOCOL_INITIAL_WINDOW,
            maxFrameSize,
          });
          sessions.push(host, plugin);
          const received: Uint8Array[] = [];
          let ended = false;
          plugin.onDidOpenChannel((channel) => {
            channel.onDidReceive((m) => received.push(m.slice()));
            channel.onDidEnd(() => (ended = true));
          });
          const channel = host.openChannel('parts');
          for (const parts of messages) channel.send(parts);
          channel.end();
          await until(() => ended, 5000);
          expect(received.map((m) => m.byteLength)).toEqual(messages.map((p) => concat(p).byteLength));
          messages.forEach((parts, i) => expect(firstDifference(received[i]!, concat(parts))).toBe('equal'));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hands a large part to the transport as its own chunk, not copied into a frame buffer', async () => {
    const { host, plugin, hostTransport } = createSessionPair();
    sessions.push(host, plugin);
    const written: Uint8Array[] = [];
    const write = hostTransport.write.bind(hostTransport);
    hostTransport.write = (chunks) => {
      written.push(...chunks);
      return write(chunks);
    };
    let message: Uint8Array | undefined;
    plugin.onDidOpenChannel((channel) => channel.onDidReceive((m) => (message = m.slice())));
    const header = new Uint8Array([1, 2, 3]);
    const body = new Uint8Array(40_000).fill(9);
    host.openChannel('big').send([header, body]);
    await until(() => message !== undefined, 5000);
    expect(written.some((chunk) => chunk.buffer === body.buffer)).toBe(true);
    expect(firstDifference(message!, concat([header, body]))).toBe('equal');
  });
});
