// The user's side of a passed-through terminal: the shapes of stdin and stdout the passthrough needs, so
// that process.stdin/process.stdout (TTYs or pipes) and plain Node streams in tests all fit.
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The user's keyboard: `process.stdin` (a `tty.ReadStream` or a pipe) or any readable byte stream. */
export interface TerminalInput {
  /** True for a terminal; only then is raw mode used. */
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  /** Lets the process exit while stdin is open (net.Socket / tty.ReadStream). */
  unref?(): unknown;
}

/** The user's screen: `process.stdout` (a `tty.WriteStream` or a pipe) or any writable byte stream. */
export interface TerminalOutput {
  readonly isTTY?: boolean;
  /** The window size; set for a TTY. */
  readonly columns?: number;
  readonly rows?: number;
  /** False once the stream's buffer is full: wait for 'drain'. */
  write(chunk: Uint8Array | string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /** 'resize' is emitted by a TTY on SIGWINCH, after `columns`/`rows` changed. */
  on(event: 'resize', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'drain' | 'resize', listener: () => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/** Where the CLI writes text: a stream, or anything with a `write(text)` (a buffer in tests). */
export interface TextOutput {
  write(text: string): unknown;
}

/**
 * `output` as a byte stream for the passthrough: itself when it already is a stream (process.stdout), else a
 * Writable that decodes the bytes as UTF-8 (a character split across chunks is kept whole) and writes text.
 */
export function toTerminalOutput(output: TextOutput): TerminalOutput {
  if (isTerminalOutput(output)) return output;
  const decoder = new StringDecoder('utf8');
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = decoder.write(chunk);
      if (text !== '') output.write(text);
      callback();
    },
  });
}

function isTerminalOutput(output: TextOutput): output is TerminalOutput {
  const candidate = output as Partial<TerminalOutput>;
  return (
    typeof candidate.once === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.off === 'function'
  );
}
