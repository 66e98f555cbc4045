// Helpers for the mux tests: session pairs over the in-memory transport, and a raw peer that speaks frames.
import { FRAME_HEADER_SIZE } from '../../constants.js';
import type { Transport } from '../../transport/transport.js';
import { createMemoryTransportPair } from '../../transport/memory-transport.js';
import { FrameDecoder } from '../frame-decoder.js';
import { encodeFrame } from '../frame-encoder.js';
import type { Frame } from '../frame.js';
import { MuxSession } from '../mux-session.js';
import type { MuxChannel, MuxSessionOptions } from '../mux-types.js';
import type { FramingError } from '../../errors/errors.js';
import { waitFor } from '../../test-support/wait-for.js';

export type SessionOptions = Omit<MuxSessionOptions, 'role'>;

export interface SessionPair {
  readonly host: MuxSession;
  readonly plugin: MuxSession;
  readonly hostTransport: Transport;
  readonly pluginTransport: Transport;
  /** Channels the plugin side accepted, in order. */
  readonly pluginAccepted: MuxChannel[];
  /** Channels the host side accepted, in order. */
  readonly hostAccepted: MuxChannel[];
}

/** An initiator ('host') and an acceptor ('plugin') over a memory transport pair, both accepting channels. */
export function createSessionPair(
  options: SessionOptions = {},
  pluginOptions: SessionOptions = options,
): SessionPair {
  const [hostTransport, pluginTransport] = createMemoryTransportPair();
  const host = new MuxSession(hostTransport, { ...options, role: 'initiator' });
  const plugin = new MuxSession(pluginTransport, { ...pluginOptions, role: 'acceptor' });
  const pluginAccepted: MuxChannel[] = [];
  const hostAccepted: MuxChannel[] = [];
  plugin.onDidOpenChannel((channel) => pluginAccepted.push(channel));
  host.onDidOpenChannel((channel) => hostAccepted.push(channel));
  return { host, plugin, hostTransport, pluginTransport, pluginAccepted, hostAccepted };
}

/** Waits one macrotask turn (the memory transport delivers one macrotask after a write). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Waits until `condition()` holds, checking once per event-loop turn (the mux tests run in one process and
 * need no real time); fails after `timeoutMs` quoting the condition. See waitFor.
 */
export async function until(condition: () => boolean, timeoutMs?: number): Promise<void> {
  await waitFor(condition, {
    what: String(condition),
    intervalMs: 0,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** Collects every message and event of a channel. */
export function record(channel: MuxChannel): {
  messages: Uint8Array[];
  ended: boolean;
  closed: boolean;
  closeError: Error | undefined;
} {
  const state = {
    messages: [] as Uint8Array[],
    ended: false,
    closed: false,
    closeError: undefined as Error | undefined,
  };
  channel.onDidReceive((message) => state.messages.push(message));
  channel.onDidEnd(() => (state.ended = true));
  channel.onDidClose((event) => {
    state.closed = true;
    state.closeError = event.error;
  });
  return state;
}

/**
 * A session under test facing a raw peer: the test writes crafted bytes into `raw` and reads the frames
 * the session sends back from `frames`.
 */
export interface RawPeer {
  readonly session: MuxSession;
  readonly raw: Transport;
  readonly frames: Frame[];
  readonly accepted: MuxChannel[];
  /** Writes frames (or raw bytes) to the session. */
  send(
    ...frames: (Uint8Array | [type: number, flags: number, channel: number, payload?: Uint8Array])[]
  ): void;
  readonly decodeErrors: FramingError[];
}

export function createRawPeer(role: 'initiator' | 'acceptor', options: SessionOptions = {}): RawPeer {
  const [sessionTransport, raw] = createMemoryTransportPair();
  const session = new MuxSession(sessionTransport, { ...options, role });
  const frames: Frame[] = [];
  const decodeErrors: FramingError[] = [];
  const accepted: MuxChannel[] = [];
  session.onDidOpenChannel((channel) => accepted.push(channel));
  const decoder = new FrameDecoder(
    16 * 1024 * 1024,
    (type, flags, channel, payload) => frames.push({ type, flags, channel, payload: payload.slice() }),
    (error) => decodeErrors.push(error),
  );
  raw.onDidReceive((chunk) => decoder.push(chunk));
  return {
    session,
    raw,
    frames,
    accepted,
    decodeErrors,
    send(...items) {
      raw.write(
        items.map((item) =>
          item instanceof Uint8Array ? item : encodeFrame(item[0], item[1], item[2], item[3]),
        ),
      );
    },
  };
}

export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

export { FRAME_HEADER_SIZE };
