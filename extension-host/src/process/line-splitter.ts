/** Receives one line (or one piece of an over-long line) from a {@link LineSplitter}. */
export type LineListener = (line: string, truncated: boolean) => void;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into UTF-8 lines. `\n` and `\r\n` both end a line (neither is included). A line
 * longer than `maxLineBytes` is delivered in pieces of at most that many bytes, cut between characters,
 * each piece but the last with `truncated: true` ("this line continues in the next piece"). A multi-byte
 * character split across chunks is decoded whole. Memory held is at most about `maxLineBytes` plus one chunk.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: LineListener;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #ended = false;

  constructor(maxLineBytes: number, onLine: LineListener) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 4) {
      throw new RangeError(
        `maxLineBytes must be an integer of at least 4 (one UTF-8 character), got ${maxLineBytes}`,
      );
    }
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
  }

  /** Feeds bytes. The chunk may be retained until its line is complete; do not modify it afterwards. */
  push(chunk: Uint8Array): void {
    if (this.#ended || chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    for (let newline = bytes.indexOf(LF, start); newline !== -1; newline = bytes.indexOf(LF, start)) {
      if (this.#pendingBytes === 0 && newline - start <= this.#maxLineBytes) {
        // The common case, a whole short line in this chunk: decoded in place, no slice made.
        const end = newline > start && bytes[newline - 1] === CR ? newline - 1 : newline;
        this.#onLine(bytes.toString('utf8', start, end), false);
      } else {
        const piece = bytes.subarray(start, newline);
        this.#emitComplete(this.#pendingBytes === 0 ? piece : Buffer.concat([...this.#pending, piece]));
        this.#pending = [];
        this.#pendingBytes = 0;
      }
      start = newline + 1;
    }
    if (start < bytes.length) {
      this.#pending.push(bytes.subarray(start));
      this.#pendingBytes += bytes.length - start;
      if (this.#pendingBytes > this.#maxLineBytes) this.#emitOverflow();
    }
  }

  /** The stream ended: delivers a last line that had no newline. Later pushes are ignored. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#pendingBytes > 0) this.#emitComplete(Buffer.concat(this.#pending));
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** A line without its newline: strip a `\r`, deliver in pieces if too long. */
  #emitComplete(line: Buffer): void {
    let end = line.length;
    if (end > 0 && line[end - 1] === CR) end--;
    let offset = 0;
    while (end - offset > this.#maxLineBytes) {
      const cut = characterBoundary(line, offset + this.#maxLineBytes, offset);
      this.#onLine(line.toString('utf8', offset, cut), true);
      offset = cut;
    }
    this.#onLine(line.toString('utf8', offset, end), false);
  }

  /** The unfinished line grew past the cap: deliver full pieces, keep the rest pending. */
  #emitOverflow(): void {
    const all = Buffer.concat(this.#pending);
    let offset = 0;
    while (all.length - offset > this.#maxLineBytes) {
      const cut = characterBoundary(all, offset + this.#maxLineBytes, offset);
      this.#onLine(all.toString('utf8', offset, cut), true);
      offset = cut;
    }
    this.#pending = [all.subarray(offset)];
    this.#pendingBytes = all.length - offset;
  }
}

/**
 * The largest index `<= at` (and `> min`) that starts a UTF-8 character, so that `[min, index)` holds whole
 * characters. Falls back to `at` for bytes that are not valid UTF-8.
 */
function characterBoundary(bytes: Buffer, at: number, min: number): number {
  let cut = at;
  while (cut > min && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return cut === min ? at : cut;
}
