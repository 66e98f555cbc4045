// Raw fork IPC (a second floor): `process.send` with `serialization: 'advanced'` (so bytes stay bytes),
// the child echoes every message. No RPC layer, so no callback. Streams: Uint8Array messages, each
// `send()`'s callback (the message is written to the channel) freeing a slot in a small send window, then
// an end message; the receiver counts the bytes of every Uint8Array message.
import { fileURLToPath } from 'node:url';
import { forkChild, isChildOf, stopChild, streamPattern, type Approach } from '../harness.js';

/** Stream control messages; every other message is echoed. */
type Control =
  | { readonly op: 'produce'; readonly total: number; readonly chunkSize: number }
  | { readonly op: 'consume' }
  | { readonly op: 'end' }
  | { readonly op: 'count'; readonly bytes: number };

type Send = (message: unknown, callback: (error: Error | null) => void) => void;

/** Sends not yet written to the channel (callback pending) before the sender waits. */
export const IPC_SEND_WINDOW = 4;

function isControl(message: unknown): message is Control {
  return typeof message === 'object' && message !== null && 'op' in message;
}

/** Sends `chunk` until `total` bytes went, at most {@link IPC_SEND_WINDOW} unwritten; then `{ op: 'end' }`. */
async function sendStream(send: Send, chunk: Uint8Array, total: number): Promise<void> {
  const state: { pending: number; failure?: Error; wake?: (() => void) | undefined } = { pending: 0 };
  const written = (error: Error | null): void => {
    state.pending--;
    if (error !== null) state.failure ??= error;
    const wake = state.wake;
    state.wake = undefined;
    wake?.();
  };
  const until = async (limit: number): Promise<void> => {
    while (state.pending > limit) await new Promise<void>((resolve) => (state.wake = resolve));
  };
  for (let sent = 0; sent < total && state.failure === undefined; sent += chunk.byteLength) {
    if (state.pending >= IPC_SEND_WINDOW) await until(IPC_SEND_WINDOW - 1);
    state.pending++;
    send(chunk, written);
  }
  await until(0);
  if (state.failure !== undefined) throw state.failure;
  send({ op: 'end' }, () => undefined);
}

/** Counts the bytes of Uint8Array messages until `{ op: 'end' }`; `take` routes the next messages here. */
function countStream(take: (sink: ((message: unknown) => void) | undefined) => void): Promise<number> {
  return new Promise((resolve) => {
    let bytes = 0;
    take((message) => {
      if (message instanceof Uint8Array) bytes += message.byteLength;
      else if (isControl(message) && message.op === 'end') {
        take(undefined);
        resolve(bytes);
      }
    });
  });
}

export const rawIpc: Approach = {
  id: 'raw-ipc',
  label: "raw fork IPC, 'advanced' (floor)",
  kind: 'floor',
  unsupported: { callbackP50: 'no RPC layer: a message ping-pong has no callbacks' },
  async start() {
    const child = await forkChild(fileURLToPath(import.meta.url), 'advanced');
    const waiting: ((message: unknown) => void)[] = [];
    let sink: ((message: unknown) => void) | undefined;
    child.on('message', (message) => (sink ?? waiting.shift()!)(message));
    const roundTrip = (message: unknown): Promise<unknown> =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.send(message as never);
      });
    const send: Send = (message, callback) => child.send(message as never, callback);
    return {
      client: {
        call: () => roundTrip([1, 2]),
        echo: roundTrip,
        streamToHost(total, chunkSize) {
          const counted = countStream((next) => (sink = next));
          child.send({ op: 'produce', total, chunkSize } satisfies Control);
          return counted;
        },
        async streamToChild(chunk, total) {
          const counted = roundTrip({ op: 'consume' } satisfies Control);
          await sendStream(send, chunk, total);
          return ((await counted) as { bytes: number }).bytes;
        },
      },
      pin: { id: child.pid!, thread: false },
      dispose: () => stopChild(child),
    };
  },
};

if (isChildOf(import.meta.url)) {
  let sink: ((message: unknown) => void) | undefined;
  const send: Send = (message, callback) => process.send!(message, undefined, undefined, callback);
  process.on('message', (message) => {
    if (sink !== undefined) sink(message);
    else if (!isControl(message)) process.send!(message);
    else if (message.op === 'produce') void sendStream(send, streamPattern(message.chunkSize), message.total);
    else if (message.op === 'consume')
      void countStream((next) => (sink = next)).then((bytes) =>
        process.send!({ op: 'count', bytes } satisfies Control),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.send!('ready');
}
