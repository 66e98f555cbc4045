// What the host and its pty broker (`pty-broker-main.ts`) say to each other. Only the broker's stdin, stdout
// and stderr are used: the plugin the broker spawns inherits every descriptor of the broker that is not
// close-on-exec, and those three are the only ones forkpty replaces (with the terminal's slave side), so no
// channel to the host can leak into the plugin. This file imports nothing: the broker loads it as is.
//
//   host → broker, stdin:  frames `[type: u8][length: u32 BE][payload]`: first the config, then input and
//                          resizes.
//   broker → host, stdout: the terminal's output, raw bytes (a pipe, so the host's backpressure reaches the
//                          broker, which then stops reading the pty).
//   broker → host, stderr: control lines `CONTROL_PREFIX + JSON + '\n'`; any other line is the broker's own
//                          diagnostics (an uncaught error), kept for error messages.

/** Frame types on the broker's stdin. */
export const FrameType = { config: 0, input: 1, resize: 2 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Frames larger than this are refused (input is split by the sender). */
export const MAX_FRAME_BYTES = 1024 * 1024;
const HEADER_BYTES = 5;

/** The program to start in the terminal, as node-pty's `spawn` takes it. */
export interface BrokerConfig {
  readonly file: string;
  readonly args: readonly string[];
  /** What node-pty puts in TERM. */
  readonly name: string;
  readonly cols: number;
  readonly rows: number;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface ResizeMessage {
  readonly cols: number;
  readonly rows: number;
}

/** What the broker reports on its stderr. */
export type BrokerMessage =
  | { readonly type: 'spawned'; readonly pid: number }
  /** node-pty's exit, sent once the last output was written to stdout (which is then closed). */
  | { readonly type: 'exit'; readonly exitCode: number; readonly signal: number }
  | { readonly type: 'error'; readonly stage: 'load' | 'spawn' | 'protocol'; readonly message: string };

export const CONTROL_PREFIX = '\u0000tether-pty-broker ';

/** One frame of the broker's stdin protocol; payloads over {@link MAX_FRAME_BYTES} are split by the caller. */
export function encodeFrame(type: FrameType, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt8(type, 0);
  frame.writeUInt32BE(payload.length, 1);
  frame.set(payload, HEADER_BYTES);
  return frame;
}

export function encodeJsonFrame(type: FrameType, value: unknown): Buffer {
  return encodeFrame(type, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Reassembles frames from the chunks a pipe delivers; throws on a frame that breaks the protocol. */
export class FrameReader {
  readonly #onFrame: (type: FrameType, payload: Buffer) => void;
  #pending: Buffer = Buffer.alloc(0);

  constructor(onFrame: (type: FrameType, payload: Buffer) => void) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length >= HEADER_BYTES) {
      const type = this.#pending.readUInt8(0);
      const length = this.#pending.readUInt32BE(1);
      if (type > FrameType.resize || length > MAX_FRAME_BYTES) {
        throw new Error(`bad frame from the host (type ${type}, ${length} bytes)`);
      }
      if (this.#pending.length < HEADER_BYTES + length) return;
      const payload = this.#pending.subarray(HEADER_BYTES, HEADER_BYTES + length);
      this.#pending = this.#pending.subarray(HEADER_BYTES + length);
      this.#onFrame(type as FrameType, payload);
    }
  }
}

/** A control line for the broker's stderr. */
export function encodeMessage(message: BrokerMessage): string {
  return `${CONTROL_PREFIX}${JSON.stringify(message)}\n`;
}

/** The message in a line of the broker's stderr, or undefined for a line that is not one (diagnostics). */
export function decodeMessage(line: string): BrokerMessage | undefined {
  if (!line.startsWith(CONTROL_PREFIX)) return undefined;
  try {
    const value = JSON.parse(line.slice(CONTROL_PREFIX.length)) as unknown;
    if (typeof value === 'object' && value !== null && 'type' in value) return value as BrokerMessage;
  } catch {
    // Not JSON: treated as diagnostics.
  }
  return undefined;
}
